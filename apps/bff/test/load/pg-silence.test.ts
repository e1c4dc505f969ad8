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
} from './support';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { type FaultUpstream, startFaultUpstream } from './upstream';

/**
 * Two instances on one PostgreSQL behind a path that goes silent without closing its sockets (a
 * pooler that lost its sessions, a dead NAT entry) and then heals. While silent, queries fail
 * with `unavailable` once the client-side query timeout fires. A connection whose query timed
 * out is still blocked behind that query: returned to the pool, every later query lent it would
 * fail one timeout later, long after the path healed. Destroyed instead, the next query opens a
 * fresh connection and both instances answer right after the heal.
 */

const DATABASE_URL = process.env.DATABASE_URL;
// More calls than pool connections, so that every pooled connection carries a query into the silence.
const CALLS = 16;

describe.runIf(DATABASE_URL)('PostgreSQL path that goes silent and heals', () => {
  const schema = `silent_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let upstream: FaultUpstream;
  const instances: { bff: LoadBff; client: BffClient }[] = [];
  let ws: SeededWorkspace;

  beforeAll(async () => {
    const target = new URL(DATABASE_URL!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    upstream = await startFaultUpstream();
    const masterKey = randomBytes(32);
    for (let i = 0; i < 2; i += 1) {
      const bff = await startLoadBff({
        upstream,
        masterKey,
        postgres: { url: viaProxy.toString(), schema, statementTimeoutMs: 300, connectTimeoutMs: 1_000 },
      });
      instances.push({ bff, client: bffClient(bff.url) });
    }
    ws = await seedWorkspace(instances[0]!.client, 'ws-pg-silent', [loadAction('lookup_order', '/ok')]);
  }, 60_000);

  afterAll(async () => {
    for (const { bff, client } of instances) {
      await client.close();
      await bff.close();
    }
    await upstream?.close();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }, 30_000);

  const storm = async (client: BffClient) =>
    (await Promise.all(Array.from({ length: CALLS }, () => invoke(client, ws, 'lookup_order')))).map(
      invokeCode,
    );

  it('both instances answer right after the heal', async () => {
    for (const { client } of instances) expect(await storm(client)).toEqual(Array(CALLS).fill('ok'));

    proxy.silence();
    // Every pooled connection now has a query that will never be answered.
    for (const { client } of instances) {
      const codes = await storm(client);
      expect(codes).toEqual(Array(CALLS).fill('unavailable'));
      expect((await client.call('GET', '/readyz')).status).toBe(503);
    }

    proxy.heal();
    for (const { client } of instances) {
      expect((await client.call('GET', '/readyz')).status).toBe(200);
      expect(await storm(client)).toEqual(Array(CALLS).fill('ok'));
    }
  }, 90_000);
});
