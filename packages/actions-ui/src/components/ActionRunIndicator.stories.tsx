import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect } from 'storybook/test';
import { ActionRunIndicator } from './ActionRunIndicator';

const meta = {
  title: 'Widget/ActionRunIndicator',
  component: ActionRunIndicator,
  args: { active: true },
} satisfies Meta<typeof ActionRunIndicator>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Active: Story = {
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status');
    await expect(status).toHaveTextContent('Performing action…');
    await expect(status).toHaveAttribute('aria-live', 'polite');
  },
};

export const Named: Story = {
  args: { actionName: 'lookup_order' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Performing action: lookup_order…');
  },
};

export const Idle: Story = {
  args: { active: false },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('');
  },
};

/** The live region stays mounted across runs, so each change is announced. */
export const AnnouncesDone: Story = {
  args: { announceDone: true },
  render: (args) => {
    const [active, setActive] = useState(true);
    return (
      <div>
        <ActionRunIndicator {...args} active={active} />
        <button type="button" onClick={() => setActive((a) => !a)}>
          Toggle
        </button>
      </div>
    );
  },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Toggle' }));
    await expect(canvas.getByRole('status')).toHaveTextContent('Action finished.');
  },
};
