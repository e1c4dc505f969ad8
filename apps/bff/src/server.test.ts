import { routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './http/logger';
import { listen } from './server';
import { as, sampleAction } from './test-support/fixtures';
import { createHarness, type Harness } from './test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('graceful shutdown', () => {
  it('stops accepting connections, lets a request in flight finish, then closes', async () => {
    const admin = as(h.app, await h.session());
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'bot' })).body.id;
    await admin.post(routePath('actions', { chatbotId })).send(sampleAction(h.upstreamOrigin));
    const key = (await admin.post(routePath('serviceKeys'))).body.key as string;

    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived: () => void = () => {};
    const upstreamReached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    h.upstream.handler = (_req, res) => {
      arrived();
      void held.then(() => res.end('{"late":true}'));
    };

    const running = await listen(h.app, {
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ level: 'silent' }),
    });
    const inFlight = fetch(
      `${running.url}${routePath('agentInvoke', { chatbotId, identifier: 'lookup_order' })}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ arguments: { order_number: '1' } }),
      },
    );
    await upstreamReached;
    const closed = running.close(10_000);
    let closedYet = false;
    void closed.then(() => {
      closedYet = true;
    });

    // New connections are refused while the request is still running.
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(closedYet).toBe(false);

    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, status: 200, body: '{"late":true}', truncated: false });
    await closed;
    expect(running.server.listening).toBe(false);
  });
});
