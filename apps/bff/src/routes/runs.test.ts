import { invokeResultSchema, routePath, runListResponseSchema, testResultSchema } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

// The smallest caps the configuration allows: the egress cuts a response body at 1 KiB, and the
// agent gets at most 256 bytes of it.
const EGRESS_CAP = 1024;
const BODY_BUDGET = 256;

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let actionId: string;

beforeAll(async () => {
  h = await createHarness({
    AIHIO_EGRESS_MAX_RESPONSE_BYTES: String(EGRESS_CAP),
    AIHIO_INVOKE_BODY_BUDGET: String(BODY_BUDGET),
  });
  // The loopback upstream answers `/echo/orders/<n>` with n bytes.
  h.upstream.handler = (_req, res, seen) => {
    const size = Number(/\/orders\/(\d+)/.exec(seen.path)?.[1] ?? 0);
    res.setHeader('content-type', 'text/plain');
    res.end('x'.repeat(size));
  };
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Runs bot' })).body.id;
  actionId = (await admin.post(routePath('actions', { chatbotId })).send(sampleAction(h.upstreamOrigin))).body
    .id as string;
});
afterAll(async () => {
  await h.close();
});

async function listRuns() {
  const res = await admin.get(routePath('actionRuns', { chatbotId, actionId }));
  expect(res.status).toBe(200);
  // Every record on the wire carries the flag (a client need not know the schema's default).
  for (const run of res.body.runs as Record<string, unknown>[]) expect(typeof run.truncated).toBe('boolean');
  return runListResponseSchema.parse(res.body).runs;
}

describe('run history: truncated', () => {
  it('is true for a test whose upstream body was cut at the egress cap, false for a small one', async () => {
    const url = routePath('actionTest', { chatbotId, actionId });
    const big = testResultSchema.parse(
      (await admin.post(url).send({ values: { order_number: String(EGRESS_CAP * 4) } })).body,
    );
    expect(big).toMatchObject({ ok: true, status: 200, truncated: true });
    let runs = await listRuns();
    expect(runs[0]).toMatchObject({ source: 'test', outcome: 'ok', httpStatus: 200, truncated: true });
    expect(runs[0]!.responseBytes).toBeLessThanOrEqual(EGRESS_CAP);

    const small = testResultSchema.parse(
      (await admin.post(url).send({ values: { order_number: '10' } })).body,
    );
    expect(small).toMatchObject({ ok: true, truncated: false });
    runs = await listRuns();
    expect(runs.map((run) => run.truncated)).toEqual([false, true]);
    expect(runs[0]).toMatchObject({ responseBytes: 10 });

    // A call that got no answer was not cut.
    const failed = await admin.post(url).send({ values: {} });
    expect(testResultSchema.parse(failed.body)).toMatchObject({ ok: false });
    expect((await listRuns())[0]).toMatchObject({ outcome: 'invalid_arguments', truncated: false });
  });

  it('records the egress cut, not the agent body budget, for agent calls', async () => {
    const key = (await admin.post(routePath('serviceKeys'))).body.key as string;
    const invoke = async (size: number) =>
      invokeResultSchema.parse(
        (
          await request(h.app)
            .post(routePath('agentInvoke', { chatbotId, identifier: 'lookup_order' }))
            .set('Authorization', `Bearer ${key}`)
            .send({ arguments: { order_number: String(size) } })
        ).body,
      );

    // Over the budget but under the egress cap: the agent's copy is cut, the upstream's body was not.
    expect(await invoke(BODY_BUDGET * 2)).toMatchObject({ ok: true, truncated: true });
    await h.store.flushRuns();
    expect((await listRuns())[0]).toMatchObject({ source: 'agent', truncated: false });

    expect(await invoke(EGRESS_CAP * 4)).toMatchObject({ ok: true, truncated: true });
    await h.store.flushRuns();
    expect((await listRuns())[0]).toMatchObject({ source: 'agent', truncated: true });
  });
});
