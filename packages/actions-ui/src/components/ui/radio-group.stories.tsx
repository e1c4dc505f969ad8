import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { RadioCard, RadioGroup, RadioGroupItem } from './radio-group';

function Cards({ onValueChange, disabled }: { onValueChange?: (value: string) => void; disabled?: boolean }) {
  return (
    <div className="aihio-root" data-theme="light" style={{ padding: 16 }}>
      <p id="auth-legend" className="aihio-label">
        Authentication
      </p>
      <RadioGroup
        className="aihio-radio-cards"
        aria-labelledby="auth-legend"
        defaultValue="none"
        onValueChange={onValueChange}
        disabled={disabled}
      >
        <RadioCard id="auth-none" value="none" title="No authentication" description="A public API." />
        <RadioCard
          id="auth-bearer"
          value="bearer"
          title="Bearer token"
          description="Authorization: Bearer …"
        />
        <RadioCard id="auth-key" value="api_key" title="API key" description="A key in a header you name." />
      </RadioGroup>
    </div>
  );
}

const meta = {
  title: 'Primitives/RadioGroup',
  component: Cards,
  args: { onValueChange: fn() },
} satisfies Meta<typeof Cards>;
export default meta;
type Story = StoryObj<typeof meta>;

export const AsCards: Story = {
  play: async ({ canvas, userEvent, args }) => {
    const group = canvas.getByRole('radiogroup', { name: 'Authentication' });
    await expect(group).toBeVisible();
    const none = canvas.getByRole('radio', { name: 'No authentication' });
    await expect(none).toBeChecked();
    await expect(none).toHaveAccessibleDescription('A public API.');
    // The whole card is the target, not only the dot.
    await userEvent.click(canvas.getByText('A key in a header you name.'));
    await expect(canvas.getByRole('radio', { name: 'API key' })).toBeChecked();
    await expect(canvas.getByRole('radio', { name: 'API key' })).toHaveFocus();
    await expect(args.onValueChange).toHaveBeenLastCalledWith('api_key');
    // Arrow keys move and select within one tab stop.
    // Held down while Radix moves focus (it checks a radio focused by an arrow key).
    await userEvent.keyboard('{ArrowUp>}');
    // Radix moves focus on the next task, then checks the focused radio.
    await waitFor(() => expect(canvas.getByRole('radio', { name: 'Bearer token' })).toHaveFocus());
    await waitFor(() => expect(canvas.getByRole('radio', { name: 'Bearer token' })).toBeChecked());
    await userEvent.keyboard('{/ArrowUp}');
  },
};

export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvas }) => {
    for (const radio of canvas.getAllByRole('radio')) await expect(radio).toBeDisabled();
    await expect(canvas.getByRole('radio', { name: 'No authentication' })).toBeChecked();
  },
};

export const Plain: Story = {
  render: () => (
    <div className="aihio-root" data-theme="light" style={{ padding: 16 }}>
      <RadioGroup aria-label="Source" defaultValue="all" style={{ display: 'flex', gap: 16 }}>
        {['all', 'test', 'agent'].map((value) => (
          <span key={value} style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
            <RadioGroupItem id={`source-${value}`} value={value} />
            <label htmlFor={`source-${value}`}>{value}</label>
          </span>
        ))}
      </RadioGroup>
    </div>
  ),
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByText('agent'));
    await expect(canvas.getByRole('radio', { name: 'agent' })).toBeChecked();
  },
};
