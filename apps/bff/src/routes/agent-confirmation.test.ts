import {
  type ConfirmationChallenge,
  errorEnvelopeSchema,
  invokeResultSchema,
  routePath,
} from '@aihio/actions-core';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler } from '../test-support/upstream';

/**
 * Confirmation before side effects (issue 13): an action that needs it makes no call without a
 * valid token; the token runs exactly the call it was issued for, once, for that visitor, on that
 * version of the action.
 */

const IDENTITY_SECRET = 'chatbot-identity-secret-0123456789';
const CREDENTIAL = 'ticket-credential-abcdef-9876';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;
let ticketId: string;

const ticket = () =>
  sampleAction(h.upstreamOrigin, {
    identifier: 'create_ticket',
    description: 'Open a support ticket.',
    visitorLabel: 'Opening a support ticket',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/tickets`,
    headers: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Static', value: 'template-header-value' },
    ],
    body: '{"subject":"{{subject}}","note":"{{note}}"}',
    parameters: [
      { name: 'subject', label: 'Subject', type: 'text', required: true },
      { name: 'note', label: 'Note', type: 'text', required: true },
    ],
    auth: { type: 'bearer' },
  });

function invoke(identifier: string, body: Record<string, unknown>) {
  return request(h.app)
    .post(routePath('agentInvoke', { chatbotId, identifier }))
    .set('Authorization', `Bearer ${serviceKey}`)
    .send(body);
}

function visitorJwt(sub: string) {
  return new SignJWT({ email: `${sub}@example.com` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(chatbotId)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(IDENTITY_SECRET));
}

function challengeOf(res: request.Response): ConfirmationChallenge {
  expectError(res, 409, 'confirmation_required');
  const envelope = errorEnvelopeSchema.parse(res.body);
  expect(envelope.error.details?.confirmation).toBeDefined();
  return envelope.error.details!.confirmation!;
}

const args = { subject: 'Printer broken', note: 'Floor 2' };

beforeAll(async () => {
  h = await createHarness();
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Confirm bot' })).body.id;
  await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: IDENTITY_SECRET });
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
  const created = await admin.post(routePath('actions', { chatbotId })).send(ticket());
  expect(created.status).toBe(201);
  ticketId = created.body.id;
  await admin
    .put(routePath('actionCredential', { chatbotId, actionId: ticketId }))
    .send({ secret: CREDENTIAL });
  for (const [identifier, method, confirmation] of [
    ['lookup_order', 'GET', undefined],
    ['lookup_always', 'GET', 'always'],
    ['delete_never', 'DELETE', 'never'],
  ] as const) {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(
        sampleAction(h.upstreamOrigin, { identifier, method, ...(confirmation ? { confirmation } : {}) }),
      );
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

describe('confirmation before side effects', () => {
  it('a POST without confirmation makes no call and says what would be sent where, never a secret', async () => {
    const res = await invoke('create_ticket', { arguments: args });
    const challenge = challengeOf(res);
    expect(h.upstream.requests).toHaveLength(0);
    expect(challenge.token).toMatch(/^aihio_cf_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(challenge.expiresAt) - Date.now()).toBeGreaterThan(5 * 60_000);
    expect(challenge.summary).toEqual({
      text: 'Opening a support ticket: this sends Subject “Printer broken” and Note “Floor 2” to api.bff.test.',
      action: 'create_ticket',
      label: 'Opening a support ticket',
      method: 'POST',
      host: 'api.bff.test',
      values: [
        { name: 'subject', label: 'Subject', value: 'Printer broken' },
        { name: 'note', label: 'Note', value: 'Floor 2' },
      ],
      identityFields: [],
    });
    expect(res.text).not.toContain(CREDENTIAL);
    expect(res.text).not.toContain('template-header-value');
    // The token is stored hashed only.
    expect(h.logs.join('')).not.toContain(challenge.token);
  });

  it('the token runs the call once; a replay is refused with no call', async () => {
    const { token } = challengeOf(await invoke('create_ticket', { arguments: args }));
    const ran = await invoke('create_ticket', { arguments: args, confirmation: token });
    expect(ran.status).toBe(200);
    expect(invokeResultSchema.parse(ran.body)).toMatchObject({ ok: true, status: 200 });
    expect(h.upstream.requests).toHaveLength(1);
    expect(h.upstream.requests[0]!.headers.authorization).toBe(`Bearer ${CREDENTIAL}`);

    expectError(
      await invoke('create_ticket', { arguments: args, confirmation: token }),
      409,
      'confirmation_invalid',
    );
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('refuses a changed argument, a made-up token, and arguments in another order are the same call', async () => {
    const { token } = challengeOf(await invoke('create_ticket', { arguments: args }));
    expectError(
      await invoke('create_ticket', { arguments: { ...args, note: 'Floor 3' }, confirmation: token }),
      409,
      'confirmation_invalid',
    );
    expectError(
      await invoke('create_ticket', { arguments: args, confirmation: 'aihio_cf_made-up' }),
      409,
      'confirmation_invalid',
    );
    expect(h.upstream.requests).toHaveLength(0);
    // A refused attempt does not use the token up: the visitor's exact call still runs.
    const reordered = { note: 'Floor 2', subject: 'Printer broken' };
    const ran = await invoke('create_ticket', { arguments: reordered, confirmation: token });
    expect(ran.body).toMatchObject({ ok: true });
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('is bound to the visitor: another visitor, or none, cannot use it', async () => {
    const ann = { method: 'jwt', token: await visitorJwt('ann') };
    const bob = { method: 'jwt', token: await visitorJwt('bob') };
    const { token } = challengeOf(await invoke('create_ticket', { arguments: args, identity: ann }));
    expectError(
      await invoke('create_ticket', { arguments: args, identity: bob, confirmation: token }),
      409,
      'confirmation_invalid',
    );
    expectError(
      await invoke('create_ticket', { arguments: args, confirmation: token }),
      409,
      'confirmation_invalid',
    );
    expect(h.upstream.requests).toHaveLength(0);
    const ran = await invoke('create_ticket', { arguments: args, identity: ann, confirmation: token });
    expect(ran.body).toMatchObject({ ok: true });
  });

  it('is bound to the version: an edit of the action since makes it invalid', async () => {
    const { token } = challengeOf(await invoke('create_ticket', { arguments: args }));
    const current = await admin.get(routePath('action', { chatbotId, actionId: ticketId }));
    const edited = await admin
      .put(routePath('action', { chatbotId, actionId: ticketId }))
      .set('If-Match', current.headers.etag!)
      .send({ ...ticket(), description: 'Open a support ticket (edited).' });
    expect(edited.status).toBe(200);
    expectError(
      await invoke('create_ticket', { arguments: args, confirmation: token }),
      409,
      'confirmation_invalid',
    );
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('GET on auto and anything on never run at once; always asks even for GET', async () => {
    const lookup = await invoke('lookup_order', { arguments: { order_number: 'A-1' } });
    expect(lookup.body).toMatchObject({ ok: true });
    const removed = await invoke('delete_never', { arguments: { order_number: 'A-1' } });
    expect(removed.body).toMatchObject({ ok: true });
    expect(h.upstream.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    const always = challengeOf(await invoke('lookup_always', { arguments: { order_number: 'A-1' } }));
    expect(always.summary.method).toBe('GET');
    expect(h.upstream.requests).toHaveLength(2);
  });

  it('a call that cannot run is refused for what it is, not asked for confirmation', async () => {
    const res = await invoke('create_ticket', { arguments: { subject: 'Only a subject' } });
    expectError(res, 422, 'invalid_arguments');
  });

  it('works the same through the lean invoke path and through Express', async () => {
    // A browser Origin takes the Express route (the lean path passes it on).
    const viaExpress = await request(h.app)
      .post(routePath('agentInvoke', { chatbotId, identifier: 'create_ticket' }))
      .set('Authorization', `Bearer ${serviceKey}`)
      .set('Origin', 'https://elsewhere.example')
      .send({ arguments: args });
    expect(viaExpress.status).toBe(409);
    expect(viaExpress.body.error.code).toBe('confirmation_required');
  });
});
