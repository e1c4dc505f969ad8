import { randomBytes } from 'node:crypto';
import { type OAuthClientCredentialsAuth, routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from '../store/testing/backends';
import { agentInvoke, as, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import {
  type AuthorizationServer,
  BASIC_CLIENT,
  ISSUER,
  ORDERS_HOST,
  startAuthorizationServer,
} from '../test-support/oauth-server';

/**
 * Two BFF instances on one database share an OAuth access token: the store holds it sealed, so
 * the second instance serves its first call with the token the first one fetched. On SQLite
 * (two stores on one file) always, on PostgreSQL when DATABASE_URL is set.
 */

const auth: OAuthClientCredentialsAuth = {
  type: 'oauth2_client_credentials',
  tokenUrl: `${ISSUER}/token`,
  clientId: BASIC_CLIENT.id,
  scope: 'orders:read',
  clientAuth: 'client_secret_basic',
};

for (const backend of testBackends()) {
  describe(`two BFF instances on ${backend.name}`, () => {
    let server: AuthorizationServer;
    let database: TestDatabase;
    let a: Harness;
    let b: Harness;
    let clock = Date.now();

    beforeAll(async () => {
      server = await startAuthorizationServer();
      database = await backend.create();
      const masterKey = randomBytes(32);
      const options = {
        servers: [{ hostnames: server.hostnames, listening: server.listening }],
        masterKey,
        now: () => clock,
      };
      a = await createHarness({}, { ...options, store: await database.open() });
      b = await createHarness({}, { ...options, store: await database.open() });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await database.destroy();
      await server.close();
    });

    it('share one cached token, and both refresh it from the store after expiry', async () => {
      const admin = as(a.app, await a.session());
      const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Shared bot' })).body
        .id as string;
      const serviceKey = (await admin.post(routePath('serviceKeys'))).body.key as string;
      const definition = sampleAction(`https://${ORDERS_HOST}`, {
        identifier: 'shared_token',
        url: `https://${ORDERS_HOST}/orders/{{order_number}}`,
        auth,
      });
      const actionId = (await admin.post(routePath('actions', { chatbotId })).send(definition)).body
        .id as string;
      await admin
        .put(routePath('actionCredential', { chatbotId, actionId }))
        .send({ secret: BASIC_CLIENT.secret });
      const tokenCalls = () => server.tokenRequests.filter((r) => r.path === '/token').length;

      const first = await agentInvoke(a.app, serviceKey, chatbotId, 'shared_token', { order_number: 'S-1' });
      expect(first.body).toMatchObject({ ok: true, status: 200 });
      const second = await agentInvoke(b.app, serviceKey, chatbotId, 'shared_token', { order_number: 'S-2' });
      expect(second.body).toMatchObject({ ok: true, status: 200 });
      expect(tokenCalls()).toBe(1);
      const jti = server.apiCalls[0]?.jti;
      expect(server.apiCalls.map((c) => c.jti)).toEqual([jti, jti]);

      // Past the refresh point: instance B fetches a new token and stores it; A, whose memory
      // still holds the old one (also past its point), takes B's from the store.
      clock += 60_000;
      await agentInvoke(b.app, serviceKey, chatbotId, 'shared_token', { order_number: 'S-3' });
      await agentInvoke(a.app, serviceKey, chatbotId, 'shared_token', { order_number: 'S-4' });
      expect(tokenCalls()).toBe(2);
      const refreshed = server.apiCalls[2]?.jti;
      expect(refreshed).not.toBe(jti);
      expect(server.apiCalls.slice(2).map((c) => [c.jti, c.status])).toEqual([
        [refreshed, 200],
        [refreshed, 200],
      ]);
    });
  });
}
