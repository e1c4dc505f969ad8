import { type ActionDefinition, emptyAction } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { okTestResult } from '../testing/fake-bff';
import { withKit } from '../testing/story-helpers';
import { ActionEditor, type ActionEditorRootProps } from './ActionEditor';

const valid: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up a customer’s order status by order number.',
  url: 'https://api.example.com/orders/{{order_number}}',
  headers: [{ name: 'Accept', value: 'application/json' }],
  parameters: [
    { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
  ],
};

/** The parts of `ActionEditor`, each alone in its root: a host composes the ones it wants. */
const meta = {
  title: 'Editor/ActionEditor parts',
  component: ActionEditor.Root,
  args: { guardUnload: false, defaultValue: valid, onSubmit: fn(), onCancel: fn() },
  decorators: [withKit()],
} satisfies Meta<ActionEditorRootProps>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Header: Story = { args: { children: <ActionEditor.Header /> } };

export const Basics: Story = {
  args: { children: <ActionEditor.Basics /> },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('region', { name: 'Basics' })).toBeVisible();
    await expect(canvas.getByLabelText('Identifier')).toHaveValue('lookup_order');
  },
};

export const Parameters: Story = {
  args: { children: <ActionEditor.Parameters /> },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Name parameter 1' })).toHaveValue('order_number');
  },
};

export const Request: Story = {
  args: { children: <ActionEditor.Request /> },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('A GET request has no body.')).toBeVisible();
  },
};

export const Authentication: Story = { args: { children: <ActionEditor.Authentication /> } };

export const Identity: Story = { args: { children: <ActionEditor.Identity /> } };

export const Test: Story = {
  args: { children: <ActionEditor.Test />, onTest: fn(async () => okTestResult) },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.type(canvas.getByLabelText('Order number'), 'ORD-1');
    await userEvent.click(canvas.getByRole('button', { name: 'Run test' }));
    await waitFor(() => expect(args.onTest).toHaveBeenCalledTimes(1));
  },
};

export const ActionBar: Story = {
  args: { children: <ActionEditor.ActionBar /> },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save action' }));
    await waitFor(() => expect(args.onSubmit).toHaveBeenCalledTimes(1));
  },
};

/** A host's own arrangement: the request first, no identity section, no navigation. */
export const Rearranged: Story = {
  args: {
    children: (
      <>
        <ActionEditor.Header />
        <ActionEditor.Request />
        <ActionEditor.Basics />
        <ActionEditor.Parameters />
        <ActionEditor.ActionBar />
      </>
    ),
  },
  play: async ({ canvas }) => {
    const regions = canvas
      .getAllByRole('region')
      .map((r) => r.getAttribute('data-section'))
      .filter((section) => section !== null);
    await expect(regions).toEqual(['request', 'basics', 'parameters']);
  },
};

/** The navigation lists the sections rendered, in their order, and moves focus to the one chosen. */
export const Navigation: Story = {
  args: {
    children: (
      <>
        <ActionEditor.Nav />
        <ActionEditor.Basics />
        <ActionEditor.Parameters />
        <ActionEditor.Authentication />
      </>
    ),
  },
  play: async ({ canvas, userEvent }) => {
    const nav = canvas.getByRole('navigation', { name: 'Sections of the action' });
    const links = Array.from(nav.querySelectorAll('a')).map((a) => a.textContent);
    await expect(links).toEqual(['Basics', 'Parameters', 'Authentication']);
    await userEvent.click(canvas.getByRole('link', { name: 'Authentication' }));
    await expect(canvas.getByRole('heading', { name: 'Authentication' })).toHaveFocus();
  },
};
