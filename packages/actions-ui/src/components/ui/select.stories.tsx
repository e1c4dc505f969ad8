import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, screen, waitFor } from 'storybook/test';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from './select';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function MethodSelect({
  onValueChange,
  defaultValue = 'GET',
  invalid = false,
}: {
  onValueChange?: (value: string) => void;
  defaultValue?: string;
  invalid?: boolean;
}) {
  const [value, setValue] = useState(defaultValue);
  return (
    <div className="aihio-root" data-theme="light" style={{ padding: 16, maxWidth: 240 }}>
      <div className="aihio-field">
        <label className="aihio-label" htmlFor="method">
          Method
        </label>
        <Select
          value={value}
          onValueChange={(next) => {
            setValue(next);
            onValueChange?.(next);
          }}
        >
          <SelectTrigger id="method" aria-invalid={invalid || undefined} aria-describedby="method-help">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {METHODS.map((method) => (
              <SelectItem key={method} value={method}>
                {method}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <p className="aihio-help" id="method-help">
          The HTTP method of the call.
        </p>
      </div>
    </div>
  );
}

const meta = {
  title: 'Primitives/Select',
  component: MethodSelect,
  args: { onValueChange: fn() },
} satisfies Meta<typeof MethodSelect>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Keyboard: Story = {
  play: async ({ canvas, userEvent, args }) => {
    const trigger = canvas.getByRole('combobox', { name: 'Method' });
    await expect(trigger).toHaveTextContent('GET');
    await expect(trigger).toHaveAccessibleDescription('The HTTP method of the call.');
    trigger.focus();
    await userEvent.keyboard('{Enter}');
    const listbox = await screen.findByRole('listbox');
    // The popup is portalled out of the kit's root: it carries the root class and theme itself.
    await expect(listbox.closest('.aihio-root')).toHaveAttribute('data-theme');
    await waitFor(() => expect(screen.getByRole('option', { name: 'GET' })).toHaveFocus());
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await expect(args.onValueChange).toHaveBeenLastCalledWith('POST');
    await waitFor(() => expect(trigger).toHaveTextContent('POST'));
    await waitFor(() => expect(trigger).toHaveFocus());
  },
};

export const Pointer: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('combobox', { name: 'Method' }));
    await userEvent.click(await screen.findByRole('option', { name: 'DELETE' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith('DELETE');
    await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
  },
};

export const Invalid: Story = {
  args: { invalid: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('combobox', { name: 'Method' })).toHaveAttribute('aria-invalid', 'true');
  },
};
