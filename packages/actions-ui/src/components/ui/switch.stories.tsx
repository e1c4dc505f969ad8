import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { Switch } from './switch';

const meta = {
  title: 'Primitives/Switch',
  component: Switch,
  args: { 'aria-label': 'Enable lookup_order', onCheckedChange: fn() },
  decorators: [
    (Story) => (
      <div className="aihio-root" data-theme="light" style={{ padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Switch>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Uncontrolled: Story = {
  args: { defaultChecked: false },
  play: async ({ canvas, userEvent, args }) => {
    const toggle = canvas.getByRole('switch', { name: 'Enable lookup_order' });
    await expect(toggle).not.toBeChecked();
    await userEvent.click(toggle);
    await expect(toggle).toBeChecked();
    await expect(args.onCheckedChange).toHaveBeenLastCalledWith(true);
    await userEvent.keyboard(' ');
    await expect(toggle).not.toBeChecked();
    await expect(args.onCheckedChange).toHaveBeenLastCalledWith(false);
  },
};

/** Controlled and on: the owner's click asks, the host decides (the value stays until it changes). */
export const Controlled: Story = {
  args: { checked: true },
  play: async ({ canvas, userEvent, args }) => {
    const toggle = canvas.getByRole('switch', { name: 'Enable lookup_order' });
    await userEvent.click(toggle);
    await expect(args.onCheckedChange).toHaveBeenLastCalledWith(false);
    await expect(toggle).toBeChecked();
  },
};

export const Disabled: Story = {
  args: { disabled: true, defaultChecked: true },
  play: async ({ canvas, args }) => {
    const toggle = canvas.getByRole('switch', { name: 'Enable lookup_order' });
    await expect(toggle).toBeDisabled();
    await expect(args.onCheckedChange).not.toHaveBeenCalled();
  },
};

/** In a squeezed flex row the switch keeps its size and its thumb stays inside (defect 3). */
export const NeverSquashed: Story = {
  args: { defaultChecked: true },
  render: (args) => (
    <div style={{ display: 'flex', width: 120, gap: 8, alignItems: 'center' }}>
      <span className="aihio-badge" data-variant="warning">
        Credential missing and more words
      </span>
      <Switch {...args} />
    </div>
  ),
  play: async ({ canvas }) => {
    const toggle = canvas.getByRole('switch', { name: 'Enable lookup_order' });
    const box = toggle.getBoundingClientRect();
    await expect(Math.round(box.width)).toBe(40);
    const thumb = toggle.querySelector('[data-slot="switch-thumb"]')!.getBoundingClientRect();
    await expect(thumb.right).toBeLessThanOrEqual(box.right);
  },
};
