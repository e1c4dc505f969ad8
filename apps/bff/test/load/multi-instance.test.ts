import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devHostMap } from '../../src/test-support/loopback';
import { type BffProcess, createTestDatabase, startBffProcess } from './processes';
import {
  type BffClient,
  bffClient,
  invoke,
  invokeCode,
  LOAD_JWT_SECRET,
  loadAction,
  type SeededWorkspace,
  seedWorkspace,
} from './support';
import { type FaultUpstream, LOAD_HOSTS, startFaultUpstream } from './upstream';

/**
 * Two BFF processes on one PostgreSQL database, as operators scale out: every instance is
 * stateless, so an edit, a credential and a run made through one are what the other sees, and
 * optimistic concurrency holds across them. Each process is the production entry point with
 * production egress but for what loopback needs: the upstream's address is allowlisted,
 * `api.load.test` is mapped to its address and port with the development host map (these
 * processes run with NODE_ENV=test), and its test CA is added through NODE_EXTRA_CA_CERTS.
 */

const DATABASE_URL = process.env.DATABASE_URL;
const ROUNDS = 5;
const SECRET = 'shared-credential-0123456789-wxyz';

describe.runIf(DATABASE_URL)('two BFF processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let upstream: FaultUpstream;
  let dir: string;
  let one: BffProcess;
  let two: BffProcess;
  let c1: BffClient;
  let c2: BffClient;
  let ws: SeededWorkspace;
  let actionId: string;

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL!);
    upstream = await startFaultUpstream();
    dir = await mkdtemp(path.join(tmpdir(), 'aihio-multi-'));
    const caFile = path.join(dir, 'ca.pem');
    await writeFile(caFile, upstream.ca);
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      AIHIO_MASTER_KEY: randomBytes(32).toString('base64'),
      AIHIO_AUTH_MODE: 'jwt',
      AIHIO_JWT_SECRET: LOAD_JWT_SECRET,
      AIHIO_DEV_HOST_MAP: devHostMap(LOAD_HOSTS, upstream),
      // The listening line (with the port) is logged at info.
      AIHIO_LOG_LEVEL: 'info',
      NODE_EXTRA_CA_CERTS: caFile,
    };
    // Both at once: they also race to migrate the empty database.
    [one, two] = await Promise.all([
      startBffProcess({ ...env, AIHIO_DATA_DIR: path.join(dir, 'one') }),
      startBffProcess({ ...env, AIHIO_DATA_DIR: path.join(dir, 'two') }),
    ]);
    c1 = bffClient(one.url);
    c2 = bffClient(two.url);
    ws = await seedWorkspace(c1, 'ws-multi', [
      loadAction('lookup_order', '/ok', { auth: { type: 'bearer' } }),
    ]);
    actionId = ws.actions.lookup_order!;
  }, 120_000);

  afterAll(async () => {
    await c1?.close();
    await c2?.close();
    await Promise.all([one?.stop(), two?.stop()]);
    await upstream?.close();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const actionPath = () => routePath('action', { chatbotId: ws.chatbotId, actionId });

  it('concurrent edits of one action: exactly one winner, version_conflict for the other', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [seen1, seen2] = await Promise.all([
        c1.call('GET', actionPath(), { token: ws.token }),
        c2.call('GET', actionPath(), { token: ws.token }),
      ]);
      expect(seen1.headers.etag).toBe(seen2.headers.etag);
      const edit = (client: BffClient, who: string) =>
        client.call('PUT', actionPath(), {
          token: ws.token,
          headers: { 'if-match': seen1.headers.etag! },
          body: {
            ...loadAction('lookup_order', '/ok', { auth: { type: 'bearer' } }),
            description: `Edited by ${who} in round ${round}.`,
          },
        });
      const results = await Promise.all([edit(c1, 'one'), edit(c2, 'two')]);
      const statuses = results.map((res) => res.status).sort();
      expect(statuses).toEqual([200, 412]);
      const loser = results.find((res) => res.status === 412)!;
      expect(loser.json).toMatchObject({ error: { code: 'version_conflict' } });
      const winner = results.find((res) => res.status === 200)!;
      // Both processes now serve the winner's edit.
      for (const client of [c1, c2]) {
        const now = await client.call('GET', actionPath(), { token: ws.token });
        expect(now.headers.etag).toBe(winner.headers.etag);
        expect((now.json as { description: string }).description).toBe(
          (winner.json as { description: string }).description,
        );
      }
    }
  }, 60_000);

  it('a credential set through one is shown (last 4) and used by the other', async () => {
    const set = await c1.call('PUT', routePath('actionCredential', { chatbotId: ws.chatbotId, actionId }), {
      token: ws.token,
      body: { secret: SECRET },
    });
    expect(set.status).toBe(200);
    const read = await c2.call('GET', actionPath(), { token: ws.token });
    expect(read.json).toMatchObject({ credential: { last4: 'wxyz' } });
    expect(read.text).not.toContain(SECRET);

    upstream.authorizations.length = 0;
    const res = await invoke(c2, ws, 'lookup_order', { order_number: 'M-1' });
    expect(res.json).toMatchObject({ ok: true, status: 200 });
    expect(upstream.authorizations).toEqual([`Bearer ${SECRET}`]);
  }, 30_000);

  it('a confirmation issued by one is redeemed once through the other; a replay on either is refused', async () => {
    const created = await c1.call('POST', routePath('actions', { chatbotId: ws.chatbotId }), {
      token: ws.token,
      body: loadAction('open_ticket', '/ok', {
        method: 'POST',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: '{"order":"{{order_number}}"}',
      }),
    });
    expect(created.status).toBe(201);
    const okBefore = upstream.seen.get('ok') ?? 0;
    const asked = await invoke(c1, ws, 'open_ticket', { order_number: 'T-1' });
    expect(asked.status).toBe(409);
    const { token } = (asked.json as { error: { details: { confirmation: { token: string } } } }).error
      .details.confirmation;
    expect(upstream.seen.get('ok') ?? 0).toBe(okBefore);

    const confirm = (client: BffClient) =>
      client.call('POST', routePath('agentInvoke', { chatbotId: ws.chatbotId, identifier: 'open_ticket' }), {
        token: ws.serviceKey,
        body: { arguments: { order_number: 'T-1' }, confirmation: token },
      });
    // Both processes race to redeem it: exactly one runs the call.
    const results = await Promise.all([confirm(c2), confirm(c1)]);
    expect(results.map((res) => invokeCode(res)).sort()).toEqual(['confirmation_invalid', 'ok']);
    expect(upstream.seen.get('ok') ?? 0).toBe(okBefore + 1);
    expect(invokeCode(await confirm(c2))).toBe('confirmation_invalid');
    expect(upstream.seen.get('ok') ?? 0).toBe(okBefore + 1);
  }, 30_000);

  it('runs recorded through either process are listed by both', async () => {
    const r1 = await invoke(c1, ws, 'lookup_order', { order_number: 'from-one' });
    const r2 = await invoke(c2, ws, 'lookup_order', { order_number: 'from-two' });
    expect([r1.json, r2.json]).toMatchObject([{ ok: true }, { ok: true }]);
    const runsPath = routePath('actionRuns', { chatbotId: ws.chatbotId, actionId });
    // Each process writes its run rows in batches shortly after the call (runs are history, not
    // acknowledged writes): the other process sees them once the batch is written.
    const bothLists = () =>
      Promise.all([
        c1.call('GET', runsPath, { token: ws.token }),
        c2.call('GET', runsPath, { token: ws.token }),
      ]);
    let [list1, list2] = await bothLists();
    for (
      let attempt = 0;
      attempt < 40 && JSON.stringify(list1.json) !== JSON.stringify(list2.json);
      attempt += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [list1, list2] = await bothLists();
    }
    expect(list1.status).toBe(200);
    expect(list1.json).toEqual(list2.json);
    const runs = (list1.json as { runs: { source: string; outcome: string }[] }).runs;
    // The credential test's invoke plus these two, newest first.
    expect(runs.slice(0, 3)).toMatchObject([
      { source: 'agent', outcome: 'ok' },
      { source: 'agent', outcome: 'ok' },
      { source: 'agent', outcome: 'ok' },
    ]);
  }, 30_000);
});
