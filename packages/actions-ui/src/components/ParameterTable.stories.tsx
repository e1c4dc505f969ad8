import type { ActionParameter } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { ParameterTable } from './ParameterTable';

const parameters: ActionParameter[] = [
  { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
  { name: 'email', label: 'Customer email', type: 'email', required: true },
  { name: 'note', label: 'Note', type: 'text', required: false },
];

/**
 * Each text input sits in a box with layout containment (styles.css), so that a keystroke re-lays
 * out that box and not the whole table. The box has a given height: it must be the input's own.
 */
async function expectInputBoxesFit(root: HTMLElement) {
  const boxes = [...root.querySelectorAll<HTMLElement>('[data-slot="input-box"]')];
  await expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) {
    const input = box.querySelector('input');
    await expect(input?.getBoundingClientRect().height).toBe(box.getBoundingClientRect().height);
  }
}

const meta = {
  title: 'Editor/ParameterTable',
  component: ParameterTable,
  args: { onValueChange: fn() },
} satisfies Meta<typeof ParameterTable>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = {
  args: { defaultValue: [] },
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByText('No parameters yet.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Add parameter' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith([
      { name: 'parameter_1', label: '', type: 'text', required: true },
    ]);
    await expect(canvas.getByRole('textbox', { name: 'Name parameter 1' })).toHaveFocus();
  },
};

export const Filled: Story = {
  args: {
    defaultValue: parameters,
    usage: { order_number: ['url'], email: ['headers', 'body'] },
  },
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    await expect(canvas.getByText('URL')).toBeVisible();
    await expect(canvas.getByText('headers, body')).toBeVisible();
    await expect(canvas.getByText('Not used')).toBeVisible();
    await expectInputBoxesFit(canvasElement);
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Type parameter 3' }), 'phone');
    await expect(args.onValueChange).toHaveBeenLastCalledWith([
      parameters[0],
      parameters[1],
      { ...parameters[2], type: 'phone' },
    ]);
  },
};

/** A used parameter cannot be made optional, and the row says why. */
export const UsedParameterLocked: Story = {
  args: { defaultValue: parameters, usage: { order_number: ['url'] } },
  play: async ({ canvas }) => {
    const required = canvas.getByRole('checkbox', { name: 'Required parameter 1' });
    await expect(required).toBeDisabled();
    await expect(required).toHaveAccessibleDescription(/must be required/);
    await expect(canvas.getByRole('checkbox', { name: 'Required parameter 3' })).toBeEnabled();
  },
};

export const WithErrors: Story = {
  args: {
    defaultValue: [
      { name: 'Order Number', label: '', type: 'text', required: true },
      { name: 'email', label: 'Email', type: 'email', required: false },
    ],
    usage: { email: ['url'] },
    issues: [
      {
        code: 'parameter_name_format',
        path: [0, 'name'],
        message: 'Use lowercase letters, digits and underscores.',
      },
      { code: 'label_blank', path: [0, 'label'], message: 'Enter a label, like “Order number”.' },
      {
        code: 'placeholder_parameter_optional',
        path: [1, 'required'],
        message: 'email is used in the request, so it must be required.',
      },
    ],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Name parameter 1' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await expect(canvas.getByRole('textbox', { name: 'Label parameter 1' })).toHaveAccessibleDescription(
      /Enter a label/,
    );
    await expect(canvas.getByRole('checkbox', { name: 'Required parameter 2' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  },
};

export const ReorderAndRemove: Story = {
  args: { defaultValue: parameters },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Move email up' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith([parameters[1], parameters[0], parameters[2]]);
    await userEvent.click(canvas.getByRole('button', { name: 'Remove note' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith([parameters[1], parameters[0]]);
  },
};

/** A host's larger type (`--aihio-font-size`): the inputs grow, their boxes with them. */
export const LargeText: Story = {
  args: { defaultValue: parameters, className: 'story-large-text' },
  decorators: [
    (Story) => (
      <>
        <style>{'.story-large-text { --aihio-font-size: 1.5rem; }'}</style>
        <Story />
      </>
    ),
  ],
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    const name = canvas.getByRole('textbox', { name: 'Name parameter 3' });
    await expect(name.getBoundingClientRect().height).toBeGreaterThan(40);
    await expectInputBoxesFit(canvasElement);
    await userEvent.type(name, '_text');
    await expect(name).toHaveFocus();
    await expect(args.onValueChange).toHaveBeenLastCalledWith([
      parameters[0],
      parameters[1],
      { ...parameters[2], name: 'note_text' },
    ]);
  },
};
