import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen, waitFor, within } from 'storybook/test';
import { Button } from './button';
import { Toaster, type ToastOptions, useToast } from './toast';

function ShowButton({ toast }: { toast: ToastOptions }) {
  const show = useToast();
  return (
    <Button variant="primary" onClick={() => show(toast)}>
      Show
    </Button>
  );
}

function ToastDemo({ toast }: { toast: ToastOptions }) {
  return (
    <Toaster>
      <div className="aihio-root" data-theme="light" style={{ padding: 16 }}>
        <ShowButton toast={toast} />
      </div>
    </Toaster>
  );
}

const meta = {
  title: 'Primitives/Toast',
  component: ToastDemo,
  args: { toast: { title: 'Action saved', description: 'lookup_order is live.', variant: 'success' } },
} satisfies Meta<typeof ToastDemo>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Success: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Show' }));
    const toast = await screen.findByText('Action saved');
    const item = toast.closest('[data-slot="toast"]') as HTMLElement;
    await expect(item).toHaveAttribute('data-variant', 'success');
    await expect(within(item).getByText('lookup_order is live.')).toBeVisible();
    await userEvent.click(within(item).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByText('Action saved')).toBeNull());
  },
};

const retry = fn();
/** An error stays until dismissed and offers one follow-up. */
export const ErrorWithAction: Story = {
  args: {
    toast: {
      title: 'Could not turn the action on',
      description: 'The service did not answer.',
      variant: 'error',
      action: { label: 'Try again', altText: 'Use the switch again', onClick: retry },
    },
  },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Show' }));
    const item = (await screen.findByText('Could not turn the action on')).closest(
      '[data-slot="toast"]',
    ) as HTMLElement;
    await expect(item).toHaveAttribute('data-variant', 'error');
    await userEvent.click(within(item).getByRole('button', { name: 'Try again' }));
    await expect(retry).toHaveBeenCalledTimes(1);
  },
};
