// The page the UI benchmark loads: an ActionEditor with 100 parameters (in a production React
// build) and, on the same page, a plain uncontrolled <input> as the baseline. Each keystroke's
// time from the keydown event to the frame after it was painted is recorded per target.
import type { ActionDefinition } from '@aihio/actions-core';
import { ActionEditor } from '@aihio/actions-ui';
import { createRoot } from 'react-dom/client';

const PARAMETERS = 100;

const action: ActionDefinition = {
  identifier: 'bench_action',
  description: 'An action with many parameters, to measure typing latency.',
  method: 'POST',
  url: 'https://api.example.com/orders/{{p_0}}',
  headers: [{ name: 'X-Trace', value: '{{p_1}}' }],
  body: JSON.stringify(
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`field_${i}`, `{{p_${i}}}`])),
    null,
    2,
  ),
  parameters: Array.from({ length: PARAMETERS }, (_, i) => ({
    name: `p_${i}`,
    label: `Parameter ${i}`,
    type: 'text' as const,
    hint: `Hint for parameter ${i}`,
    required: true,
  })),
  auth: { type: 'none' },
  requireVerifiedIdentity: false,
  enabled: true,
};

const samples: Record<string, number[]> = {};
let current: string | null = null;
let pending: { target: string; start: number } | null = null;

function record(key: string, value: number) {
  const list = samples[key] ?? [];
  list.push(value);
  samples[key] = list;
}

// Capture phase on the document, before React's handlers: stamps the keystroke when the page
// starts inserting its character (keydown and the character arrive as separate CDP messages, so
// timing from keydown would count the automation's round trip, not the page's work).
document.addEventListener(
  'beforeinput',
  () => {
    if (!current) return;
    const target = current;
    const start = performance.now();
    pending = { target, start };
    // To the next frame: rAF runs before that paint; a message posted from it runs after it.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => record(`${target}|frame`, performance.now() - start);
      channel.port2.postMessage(null);
    });
  },
  true,
);

// Bubble phase on the document runs after React's root listener, which schedules its commit of a
// discrete (keyboard) update as a microtask; a microtask queued here runs right after that commit.
// Forcing layout there gives the work the keystroke caused before the browser could paint it,
// measured without the task-scheduling and vsync waits that "frame" includes.
document.addEventListener('input', () => {
  const entry = pending;
  if (!entry) return;
  pending = null;
  queueMicrotask(() => {
    document.body.getBoundingClientRect();
    record(`${entry.target}|work`, performance.now() - entry.start);
  });
});

Object.assign(window, {
  __bench: {
    measure: (target: string | null) => {
      current = target;
    },
    results: () => samples,
    reset: () => {
      for (const key of Object.keys(samples)) delete samples[key];
    },
  },
});

function App() {
  return (
    <div>
      <label htmlFor="baseline">Baseline</label>
      <input id="baseline" />
      <ActionEditor defaultValue={action} guardUnload={false} onSubmit={() => {}} />
    </div>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
