import type { RunRecord } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, waitFor, within } from 'storybook/test';
import { RUNS_NOW, runRecord, sampleRuns, storedAction } from '../testing/fake-bff';
import { withKit } from '../testing/story-helpers';
import { RunHistory, type RunSourceFilter } from './RunHistory';

const meta = {
  title: 'Dashboard/RunHistory',
  component: RunHistory,
  args: { runs: sampleRuns, now: new Date(RUNS_NOW), onRefresh: fn(), onSourceChange: fn() },
} satisfies Meta<typeof RunHistory>;
export default meta;
type Story = StoryObj<typeof meta>;

const itemsOf = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('[data-slot="run"]')];
/** Nothing inside the history sticks out of its right edge (long text wraps instead). */
const fitsWidth = async (root: HTMLElement) => {
  const history = root.querySelector<HTMLElement>('[data-slot="run-history"]')!;
  const right = history.getBoundingClientRect().right;
  const outside = [...history.querySelectorAll<HTMLElement>('*')].filter(
    (el) => el.getBoundingClientRect().right > right + 1 && el.getBoundingClientRect().width > 1,
  );
  await expect(outside.map((el) => el.outerHTML.slice(0, 80))).toEqual([]);
};

/** ok, 4xx, 5xx, timeout, blocked and unverified runs, newest first, in a wide layout. */
export const Mixed: Story = {
  decorators: [(Story) => <div style={{ width: '52rem' }}>{Story()}</div>],
  play: async ({ canvas, canvasElement }) => {
    const items = itemsOf(canvasElement);
    await expect(items.map((li) => li.dataset.outcome)).toEqual([
      'success',
      'failed',
      'server-error',
      'failed',
      'client-error',
      'failed',
    ]);
    await expect(within(items[0]!).getByText('1 minute ago')).toBeVisible();
    await expect(within(items[0]!).getByText('HTTP 200')).toBeVisible();
    await expect(within(items[2]!).getByText('HTTP 503')).toBeVisible();
    await expect(within(items[3]!).getByText('timeout')).toBeVisible();
    await expect(within(items[3]!).getByText(/did not answer in time/)).toBeVisible();
    await expect(within(items[3]!).getByText('10 s')).toBeVisible();
    await expect(within(items[5]!).getByText(/private, internal or metadata/)).toBeVisible();
    // Wide: the absolute time shows beside the relative one.
    const absolute = items[0]!.querySelector<HTMLElement>('.aihio-run-absolute')!;
    await expect(absolute).toHaveTextContent(/Nov 2026/);
    await expect(absolute.getBoundingClientRect().width).toBeGreaterThan(20);
    await expect(canvas.getByRole('list', { name: 'Run history' })).toBeVisible();
  },
};

/** A side panel: each run stacks; the absolute time is in the title and for screen readers. */
export const NarrowPanel: Story = {
  decorators: [(Story) => <div style={{ width: '18rem' }}>{Story()}</div>],
  play: async ({ canvasElement }) => {
    const first = itemsOf(canvasElement)[0]!;
    const time = first.querySelector('time')!;
    await expect(time.getAttribute('title')).toMatch(/Nov 2026/);
    const absolute = first.querySelector<HTMLElement>('.aihio-run-absolute')!;
    await expect(absolute.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    await fitsWidth(canvasElement);
  },
};

export const Truncated: Story = {
  args: {
    runs: [runRecord({ id: 'run_t', at: '2026-11-20T09:30:00.000Z', durationMs: 2_310, truncated: true })],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Response cut at the cap')).toBeVisible();
    await expect(canvas.getByText('2.3 s')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { runs: undefined, loading: true },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading run history…');
    await expect(canvasElement.querySelector('[data-slot="run-history"]')).toHaveAttribute(
      'data-state',
      'loading',
    );
  },
};

export const Empty: Story = {
  args: { runs: [] },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('No runs yet')).toBeVisible();
    await expect(canvas.getByText(/Use Run test in the test panel/)).toBeVisible();
  },
};

export const LoadError: Story = {
  args: { runs: undefined, error: { code: 'unavailable', message: 'Service unavailable.' } },
  play: async ({ canvas, userEvent, args }) => {
    const alert = canvas.getByRole('alert');
    await expect(alert).toHaveTextContent(/could not be loaded/);
    await expect(alert).toHaveTextContent(/temporarily unavailable/);
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await expect(args.onRefresh).toHaveBeenCalledTimes(1);
  },
};

const many: RunRecord[] = Array.from({ length: 45 }, (_, i) =>
  runRecord({
    id: `run_many_${i}`,
    at: new Date(Date.parse(RUNS_NOW) - i * 37 * 60_000).toISOString(),
    source: i % 3 === 0 ? 'test' : 'agent',
    httpStatus: i % 7 === 3 ? 500 : 200,
    durationMs: 80 + ((i * 53) % 900),
  }),
);

export const ManyRuns: Story = {
  args: { runs: many },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await expect(itemsOf(canvasElement)).toHaveLength(10);
    await userEvent.click(canvas.getByRole('button', { name: 'Show 10 more' }));
    await expect(itemsOf(canvasElement)).toHaveLength(20);
    await userEvent.click(canvas.getByRole('button', { name: 'Agent' }));
    await expect(itemsOf(canvasElement).every((li) => li.dataset.source === 'agent')).toBe(true);
  },
};

/** Long explanations (a host's own wording) and an unknown code wrap inside a narrow panel. */
export const LongErrorMessages: Story = {
  args: {
    runs: [
      runRecord({
        id: 'run_long_1',
        at: '2026-11-20T09:00:00.000Z',
        outcome: 'tls_failed',
        httpStatus: null,
        durationMs: 41,
      }),
      runRecord({
        id: 'run_long_2',
        at: '2026-11-20T08:00:00.000Z',
        source: 'agent',
        outcome: 'some_future_error_code_that_this_version_of_the_kit_does_not_know_about',
        httpStatus: null,
        durationMs: 12,
      }),
    ],
  },
  decorators: [
    withKit(
      {},
      {
        messages: {
          'error.tls_failed':
            'The certificate your endpoint presented could not be verified. Certificates must be valid, unexpired, issued by a public certificate authority and name exactly the host in the action’s URL; self-signed certificates and certificates for other names are refused, and so is a chain missing its intermediate certificate (https://example.com/docs/tls-troubleshooting-for-custom-actions).',
        },
      },
    ),
    (Story) => <div style={{ width: '18rem' }}>{Story()}</div>,
  ],
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText(/self-signed certificates/)).toBeVisible();
    await expect(canvas.getByText(/Something went wrong: some_future_error_code/)).toBeVisible();
    await fitsWidth(canvasElement);
  },
};

export const Finnish: Story = {
  decorators: [withKit({}, { locale: 'fi' }), (Story) => <div style={{ width: '52rem' }}>{Story()}</div>],
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('heading', { name: 'Suoritushistoria' })).toBeVisible();
    const items = itemsOf(canvasElement);
    await expect(within(items[0]!).getByText('Testi')).toBeVisible();
    await expect(within(items[2]!).getByText('1,2 s')).toBeVisible();
    await expect(within(items[3]!).getByText(/ei vastannut ajoissa/)).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Agentti' })).toBeVisible();
  },
};

export const FinnishEmpty: Story = {
  args: { runs: [] },
  decorators: [withKit({}, { locale: 'fi' })],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Ei vielä suorituksia')).toBeVisible();
  },
};

/** The filter as controlled state: the host keeps it (e.g. in the URL). */
export const ControlledFilter: Story = {
  render: (args) => {
    const [source, setSource] = useState<RunSourceFilter>('test');
    return (
      <div>
        <p>Host state: {source}</p>
        <RunHistory
          {...args}
          source={source}
          onSourceChange={(next) => {
            setSource(next);
            args.onSourceChange?.(next);
          }}
        />
      </div>
    );
  },
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    await expect(itemsOf(canvasElement).map((li) => li.dataset.source)).toEqual(['test', 'test']);
    await userEvent.click(canvas.getByRole('button', { name: 'All' }));
    await expect(args.onSourceChange).toHaveBeenCalledWith('all');
    await expect(canvas.getByText('Host state: all')).toBeVisible();
    await expect(itemsOf(canvasElement)).toHaveLength(6);
  },
};

export const Dark: Story = {
  decorators: [withKit({}, { theme: 'dark' })],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-theme="dark"]')).not.toBeNull());
  },
};

/** Connected: loads through the provider from the (fake) BFF. */
export const Connected: Story = {
  render: (args) => <RunHistory chatbotId="bot_1" actionId="act_lookup_order" now={args.now} />,
  decorators: [withKit({ actions: [storedAction({ identifier: 'lookup_order' })], runs: sampleRuns })],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(itemsOf(canvasElement)).toHaveLength(6));
  },
};

export const ConnectedLoading: Story = {
  render: (args) => <RunHistory chatbotId="bot_1" actionId="act_lookup_order" now={args.now} />,
  decorators: [withKit({ actions: [storedAction({ identifier: 'lookup_order' })], hang: ['runs'] })],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Loading run history…')).toBeVisible();
  },
};

export const ConnectedError: Story = {
  render: (args) => <RunHistory chatbotId="bot_1" actionId="act_lookup_order" now={args.now} />,
  decorators: [
    withKit({
      actions: [storedAction({ identifier: 'lookup_order' })],
      failures: { runs: { code: 'forbidden' } },
    }),
  ],
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/Your role does not allow/);
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};
