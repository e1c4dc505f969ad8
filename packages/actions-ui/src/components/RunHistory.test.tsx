import { emptyAction, type RunRecord } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { axeViolations } from '../testing/axe';
import { createFakeBff, RUNS_NOW, runRecord, sampleRuns, storedAction } from '../testing/fake-bff';
import { KitFixture } from '../testing/KitFixture';
import { RunHistory } from './RunHistory';
import { TestPanel } from './TestPanel';

const now = new Date(RUNS_NOW);
const lookupOrder = storedAction({ identifier: 'lookup_order' });

type Screen = Awaited<ReturnType<typeof render>>;
const items = (s: Screen) => [...s.container.querySelectorAll<HTMLElement>('[data-slot="run"]')];
const slot = (item: HTMLElement, name: string) =>
  item.querySelector<HTMLElement>(`[data-slot="${name}"]`)?.textContent ?? null;

/** A saved action's test panel beside its history: runs one test and waits for it to be listed. */
async function testThenHistory(bff: ReturnType<typeof createFakeBff>) {
  const s = await render(
    <KitFixture bff={bff}>
      <TestPanel
        chatbotId="bot_1"
        actionId={lookupOrder.id}
        draft={false}
        action={{ ...emptyAction(), ...lookupOrder }}
      />
      <RunHistory chatbotId="bot_1" actionId={lookupOrder.id} />
    </KitFixture>,
  );
  await expect.element(s.getByText('No runs yet')).toBeVisible();
  await s.getByLabelText('Order number').fill('ORD-123');
  await s.getByRole('button', { name: 'Run test' }).click();
  await vi.waitFor(() => expect(items(s)).toHaveLength(1));
  return s;
}

describe('RunHistory', () => {
  test('lists runs newest first, each with when, source, outcome and duration', async () => {
    const s = await render(<RunHistory runs={sampleRuns} now={now} />);
    await expect.element(s.getByRole('list', { name: 'Run history' })).toBeVisible();
    const rows = items(s);
    expect(rows.map((li) => li.querySelector('time')?.getAttribute('datetime'))).toEqual(
      [...sampleRuns].map((r) => r.at).sort((a, b) => b.localeCompare(a)),
    );
    const [first] = rows;
    expect(first?.dataset.outcome).toBe('success');
    expect(slot(first!, 'when')).toBe('1 minute ago');
    expect(first?.querySelector('time')?.getAttribute('title')).toMatch(/2026/);
    expect(slot(first!, 'source')).toBe('Test');
    expect(slot(first!, 'status')).toBe('HTTP 200');
    expect(slot(first!, 'duration')).toBe('182 ms');
    expect(rows.map((li) => slot(li, 'source'))).toEqual([
      'Test',
      'Agent',
      'Agent',
      'Agent',
      'Agent',
      'Test',
    ]);
    expect(rows.map((li) => slot(li, 'when'))).toEqual([
      '1 minute ago',
      '12 minutes ago',
      '48 minutes ago',
      '3 hours ago',
      '17 hours ago',
      'last week',
    ]);
    expect(await axeViolations(s.container)).toEqual([]);
  });

  test('each outcome: 2xx, 4xx and 5xx statuses, error codes explained, truncation flagged', async () => {
    const runs: RunRecord[] = [
      runRecord({ id: 'a', at: '2026-11-20T09:59:00.000Z', httpStatus: 201, durationMs: 0.4 }),
      runRecord({ id: 'b', at: '2026-11-20T09:58:00.000Z', httpStatus: 302 }),
      runRecord({ id: 'c', at: '2026-11-20T09:57:00.000Z', httpStatus: 429 }),
      runRecord({ id: 'd', at: '2026-11-20T09:56:00.000Z', httpStatus: 500, durationMs: 12_345 }),
      runRecord({ id: 'e', at: '2026-11-20T09:55:00.000Z', outcome: 'timeout', httpStatus: null }),
      runRecord({
        id: 'f',
        at: '2026-11-20T09:54:00.000Z',
        outcome: 'blocked_destination',
        httpStatus: null,
      }),
      runRecord({ id: 'g', at: '2026-11-20T09:53:00.000Z', outcome: 'not_a_code_yet', httpStatus: null }),
      runRecord({ id: 'h', at: '2026-11-20T09:52:00.000Z', truncated: true }),
    ];
    const s = await render(<RunHistory runs={runs} now={now} />);
    const rows = items(s);
    expect(rows.map((li) => li.dataset.outcome)).toEqual([
      'success',
      'redirect',
      'client-error',
      'server-error',
      'failed',
      'failed',
      'failed',
      'success',
    ]);
    expect(rows.map((li) => slot(li, 'status') ?? slot(li, 'code'))).toEqual([
      'HTTP 201',
      'HTTP 302',
      'HTTP 429',
      'HTTP 500',
      'timeout',
      'blocked_destination',
      'not_a_code_yet',
      'HTTP 200',
    ]);
    expect(rows.map((li) => slot(li, 'duration')).slice(0, 4)).toEqual([
      '< 1 ms',
      '182 ms',
      '182 ms',
      '12.3 s',
    ]);
    expect(slot(rows[4]!, 'outcome')).toMatch(/did not answer in time/);
    expect(slot(rows[5]!, 'outcome')).toMatch(/private, internal or metadata addresses/);
    expect(slot(rows[6]!, 'outcome')).toMatch(/Something went wrong: not_a_code_yet/);
    expect(rows.map((li) => slot(li, 'truncated'))).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'Response cut at the cap',
    ]);
    // Only what a run record holds: nothing that could be a value or a body.
    expect(s.container.textContent).not.toMatch(/ORD-|order_number|\{/);
  });

  test('empty: says so and points at the test panel', async () => {
    const s = await render(<RunHistory runs={[]} />);
    await expect.element(s.getByText('No runs yet')).toBeVisible();
    await expect.element(s.getByText(/Use Run test in the test panel/)).toBeVisible();
    expect(s.container.querySelector('[data-slot="run-history"]')?.getAttribute('data-state')).toBe('empty');
  });

  test('the source filter: uncontrolled by default, controlled with `source`', async () => {
    const onSourceChange = vi.fn();
    const s = await render(<RunHistory runs={sampleRuns} now={now} onSourceChange={onSourceChange} />);
    await s.getByRole('button', { name: 'Agent' }).click();
    expect(onSourceChange).toHaveBeenCalledWith('agent');
    expect(items(s).map((li) => li.dataset.source)).toEqual(['agent', 'agent', 'agent', 'agent']);
    await expect.element(s.getByRole('button', { name: 'Agent' })).toHaveAttribute('aria-pressed', 'true');
    await s.unmount();

    const controlled = await render(<RunHistory runs={sampleRuns} now={now} source="test" />);
    await controlled.getByRole('button', { name: 'All' }).click();
    // The parent did not change `source`, so the filter stays.
    expect(items(controlled).map((li) => li.dataset.source)).toEqual(['test', 'test']);
  });

  test('many runs show a page at a time', async () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      runRecord({ id: `r${i}`, at: new Date(Date.parse(RUNS_NOW) - i * 60_000).toISOString() }),
    );
    const s = await render(<RunHistory runs={many} now={now} pageSize={10} />);
    expect(items(s)).toHaveLength(10);
    await s.getByRole('button', { name: 'Show 10 more' }).click();
    expect(items(s)).toHaveLength(20);
    await s.getByRole('button', { name: 'Show 3 more' }).click();
    expect(items(s)).toHaveLength(23);
    await expect.element(s.getByRole('button', { name: /Show .* more/ })).not.toBeInTheDocument();
  });

  test('Finnish: dates, durations and explanations in the owner’s language', async () => {
    const s = await render(
      <KitFixture locale="fi">
        <RunHistory runs={sampleRuns} now={now} />
      </KitFixture>,
    );
    await expect.element(s.getByRole('heading', { name: 'Suoritushistoria' })).toBeVisible();
    const rows = items(s);
    expect(slot(rows[0]!, 'when')).toBe('1 minuutti sitten');
    expect(slot(rows[2]!, 'duration')).toBe('1,2 s');
    expect(slot(rows[3]!, 'outcome')).toMatch(/ei vastannut ajoissa/);
    expect(slot(rows[4]!, 'when')).toBe('17 tuntia sitten');
  });

  test('connected: loading, then the action’s runs; an error offers Try again, which reloads', async () => {
    const bff = createFakeBff({
      actions: [lookupOrder],
      runs: sampleRuns,
      failures: { runs: { code: 'unavailable' } },
    });
    const s = await render(
      <KitFixture bff={bff}>
        <RunHistory chatbotId="bot_1" actionId={lookupOrder.id} now={now} />
      </KitFixture>,
    );
    await expect.element(s.getByRole('alert')).toHaveTextContent(/temporarily unavailable/);
    const before = bff.calls.filter((c) => c.path.endsWith('/runs')).length;
    await s.getByRole('button', { name: 'Try again' }).click();
    await vi.waitFor(() => expect(bff.calls.filter((c) => c.path.endsWith('/runs')).length).toBe(before + 1));
  });

  test('connected: the loading skeleton while the runs are on their way', async () => {
    const bff = createFakeBff({ actions: [lookupOrder], hang: ['runs'] });
    const s = await render(
      <KitFixture bff={bff}>
        <RunHistory chatbotId="bot_1" actionId={lookupOrder.id} />
      </KitFixture>,
    );
    await expect.element(s.getByRole('status')).toHaveTextContent('Loading run history…');
    expect(s.container.querySelector('[data-slot="run-history"]')?.getAttribute('data-state')).toBe(
      'loading',
    );
  });

  test('refreshes when a test of the action finishes', async () => {
    const bff = createFakeBff({ actions: [lookupOrder] });
    const s = await testThenHistory(bff);
    const [run] = items(s);
    expect(slot(run!, 'status')).toBe('HTTP 200');
    expect(slot(run!, 'source')).toBe('Test');
    expect(slot(run!, 'when')).toBe('now');
    // The value typed into the test form is not part of the history.
    expect(s.container.querySelector('[data-slot="run-history"]')?.textContent).not.toContain('ORD-123');
    expect(await axeViolations(s.container)).toEqual([]);
  });

  test('connected: a test whose response was cut at the cap shows in the history flagged', async () => {
    const bff = createFakeBff({
      actions: [lookupOrder],
      testResult: {
        ok: true,
        status: 200,
        headers: {},
        body: 'x'.repeat(64),
        truncated: true,
        durationMs: 40,
      },
    });
    const s = await testThenHistory(bff);
    expect(slot(items(s)[0]!, 'truncated')).toBe('Response cut at the cap');
    expect(bff.runs()[0]?.truncated).toBe(true);
  });

  test('forwards props and className to the root', async () => {
    const s = await render(
      <RunHistory runs={[]} className="host-class" id="history" data-testid="runs" headingLevel={2} />,
    );
    const root = s.container.querySelector('#history');
    expect(root?.className).toBe('aihio-root aihio-run-history host-class');
    expect(root?.getAttribute('data-testid')).toBe('runs');
    await expect.element(s.getByRole('heading', { level: 2, name: 'Run history' })).toBeVisible();
  });
});
