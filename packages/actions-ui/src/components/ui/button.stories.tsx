import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { Button } from './button';

const meta = {
  title: 'Primitives/Button',
  component: Button,
  args: { children: 'Save', onClick: fn() },
  decorators: [
    (Story) => (
      <div className="aihio-root" data-theme="light" style={{ padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Button>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Primary: Story = {
  args: { variant: 'primary' },
  play: async ({ canvas, userEvent, args }) => {
    const button = canvas.getByRole('button', { name: 'Save' });
    // Never a form submit unless asked: the kit's buttons sit inside the editor's form.
    await expect(button).toHaveAttribute('type', 'button');
    await expect(button).toHaveAttribute('data-slot', 'button');
    await userEvent.click(button);
    await expect(args.onClick).toHaveBeenCalledTimes(1);
  },
};

/** Every variant and size side by side, in both themes (axe checks their contrast). */
export const Variants: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: 12 }}>
      {(['light', 'dark'] as const).map((theme) => (
        <div
          key={theme}
          className="aihio-root"
          data-theme={theme}
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            gap: 8,
            padding: 12,
            background: 'var(--aihio-background)',
          }}
        >
          <Button variant="primary">Primary</Button>
          <Button variant="secondary">Secondary</Button>
          <Button variant="outline">Outline</Button>
          <Button variant="ghost">Ghost</Button>
          <Button variant="destructive">Destructive</Button>
          <Button variant="destructive-outline">Delete</Button>
          <Button variant="link">Link</Button>
          <Button variant="primary" size="sm">
            Small
          </Button>
          <Button variant="secondary" disabled>
            Disabled
          </Button>
        </div>
      ))}
    </div>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('button', { name: 'Primary' })).toHaveLength(2);
  },
};

/** Pending ignores clicks but keeps focus (aria-disabled, not disabled). */
export const Pending: Story = {
  args: { variant: 'primary', pending: true, children: 'Saving…' },
  play: async ({ canvas, userEvent, args }) => {
    const button = canvas.getByRole('button', { name: 'Saving…' });
    await expect(button).toHaveAttribute('aria-busy', 'true');
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).not.toBeDisabled();
    button.focus();
    await userEvent.click(button);
    await expect(button).toHaveFocus();
    await expect(args.onClick).not.toHaveBeenCalled();
  },
};

export const AsLink: Story = {
  args: { variant: 'primary', asChild: true, children: <a href="#upgrade">Upgrade</a> },
  play: async ({ canvas }) => {
    const link = canvas.getByRole('link', { name: 'Upgrade' });
    await expect(link).toHaveClass('aihio-button');
    await expect(link).toHaveAttribute('data-variant', 'primary');
    await expect(link).not.toHaveAttribute('type');
  },
};
