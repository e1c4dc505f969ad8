import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BffClient,
  bffClient,
  invoke,
  invokeCode,
  type LoadBff,
  loadAction,
  type SeededWorkspace,
  seedWorkspace,
  startLoadBff,
  until,
} from './support';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { type FaultUpstream, startFaultUpstream } from './upstream';

/**
 * PostgreSQL going away under load and coming back. The BFF reaches the database through a
 * loopback TCP proxy that the test cuts (every connection dropped, new ones refused) and
 * restores. While it is down every invoke answers `unavailable` (503) at once instead of hanging;
 * once it is back the pool reconnects by itself and invokes succeed again, with no restart.
 */

const DATABASE_URL = process.env.DATABASE_URL;
const CONCURRENCY = 8;
const BATCH = 24;

describe.runIf(DATABASE_URL)('PostgreSQL restart during load', () => {
  const schema = `load_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let upstream: FaultUpstream;
  let bff: LoadBff;
  let client: BffClient;
  let ws: SeededWorkspace;

  beforeAll(async () => {
    const target = new URL(DATABASE_URL!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    upstream = await startFaultUpstream();
    bff = await startLoadBff({ upstream, postgres: { url: viaProxy.toString(), schema } });
    client = bffClient(bff.url);
    ws = await seedWorkspace(client, 'ws-pg-restart', [loadAction('lookup_order', '/ok')]);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await bff?.close();
    await upstream?.close();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }, 30_000);

  const batch = async () => {
    const results = await Promise.all(
      Array.from({ length: BATCH }, (_, i) => invoke(client, ws, 'lookup_order', { order_number: `P-${i}` })),
    );
    return results.map(invokeCode);
  };

  it('fails invokes cleanly with unavailable while it is down and recovers by itself', async () => {
    // Background load through the whole outage: every answer is a success or `unavailable`.
    let running = true;
    const background: string[] = [];
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (running) {
        const res = await invoke(client, ws, 'lookup_order');
        background.push(invokeCode(res));
      }
    });

    expect(await batch()).toEqual(Array(BATCH).fill('ok'));

    await proxy.cut();
    expect(await batch()).toEqual(Array(BATCH).fill('unavailable'));
    const ready = await client.call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ error: { code: 'unavailable' } });
    const down = background.length;
    await until(() => background.length > down + CONCURRENCY, 10_000, 'the load to go on while down');

    await proxy.restore();
    // The pool reconnects on its own; no restart of the BFF.
    await until(() => background.at(-1) === 'ok', 15_000, 'the first success after the restore');
    expect(await batch()).toEqual(Array(BATCH).fill('ok'));
    expect((await client.call('GET', '/readyz')).status).toBe(200);

    running = false;
    await Promise.all(workers);
    const kinds = new Set(background);
    expect([...kinds].sort()).toEqual(['ok', 'unavailable']);
  }, 60_000);
});
