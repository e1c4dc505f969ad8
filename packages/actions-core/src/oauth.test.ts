import { describe, expect, it } from 'vitest';
import type { ActionDefinition, OAuthClientCredentialsAuth } from './action';
import { type CredentialDropReason, type CredentialScope, credentialDropReason } from './credential-scope';
import type { IssueCode } from './errors';
import { validAction } from './test-fixtures';
import { validateAction } from './validate';

const oauth: OAuthClientCredentialsAuth = {
  type: 'oauth2_client_credentials',
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'orders-bot',
  scope: 'orders:read',
  clientAuth: 'client_secret_basic',
};
const withOAuth = (auth: Partial<OAuthClientCredentialsAuth>, overrides: Partial<ActionDefinition> = {}) =>
  validAction({ auth: { ...oauth, ...auth }, ...overrides });

type Case = [name: string, input: unknown, expected: { code: IssueCode; path: (string | number)[] } | 'ok'];

const cases: Case[] = [
  ['client secret basic with a scope', withOAuth({}), 'ok'],
  [
    'client secret post, no scope, an audience',
    withOAuth({ clientAuth: 'client_secret_post', scope: undefined, audience: 'https://api.example.com' }),
    'ok',
  ],
  ['an empty scope and audience', withOAuth({ scope: '', audience: '' }), 'ok'],
  ['an explicit :443', withOAuth({ tokenUrl: 'https://auth.example.com:443/token' }), 'ok'],
  ['several scopes', withOAuth({ scope: 'orders:read tickets:write openid' }), 'ok'],
  [
    'a token URL on http',
    withOAuth({ tokenUrl: 'http://auth.example.com/token' }),
    { code: 'url_not_https', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a token URL on another port',
    withOAuth({ tokenUrl: 'https://auth.example.com:8443/token' }),
    { code: 'url_port', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a token URL with userinfo',
    withOAuth({ tokenUrl: 'https://id:secret@auth.example.com/token' }),
    { code: 'url_userinfo', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a token URL with a fragment',
    withOAuth({ tokenUrl: 'https://auth.example.com/token#x' }),
    { code: 'url_fragment', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a token URL that does not parse',
    withOAuth({ tokenUrl: 'https://' }),
    { code: 'url_invalid', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a token URL with a space',
    withOAuth({ tokenUrl: 'https://auth.example.com/o auth' }),
    { code: 'url_invalid', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a placeholder in the token URL path',
    withOAuth({ tokenUrl: 'https://auth.example.com/{{order_number}}/token' }),
    { code: 'url_placeholder_position', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a missing token URL',
    { ...validAction(), auth: { ...oauth, tokenUrl: undefined } },
    { code: 'required', path: ['auth', 'tokenUrl'] },
  ],
  [
    'a blank client id',
    withOAuth({ clientId: '  ' }),
    { code: 'oauth_client_id_invalid', path: ['auth', 'clientId'] },
  ],
  [
    'a client id with a line break',
    withOAuth({ clientId: 'a\nb' }),
    { code: 'oauth_client_id_invalid', path: ['auth', 'clientId'] },
  ],
  [
    'a client id of 257 characters',
    withOAuth({ clientId: 'a'.repeat(257) }),
    { code: 'too_long', path: ['auth', 'clientId'] },
  ],
  [
    'a scope with a quote',
    withOAuth({ scope: 'orders:"read"' }),
    { code: 'oauth_scope_invalid', path: ['auth', 'scope'] },
  ],
  [
    'a scope with two spaces',
    withOAuth({ scope: 'a  b' }),
    { code: 'oauth_scope_invalid', path: ['auth', 'scope'] },
  ],
  [
    'an audience with a line break',
    withOAuth({ audience: 'https://api\n' }),
    { code: 'oauth_audience_invalid', path: ['auth', 'audience'] },
  ],
  [
    'an unknown client authentication',
    { ...validAction(), auth: { ...oauth, clientAuth: 'private_key_jwt' } },
    { code: 'invalid_type', path: ['auth', 'clientAuth'] },
  ],
  [
    'an Authorization header beside OAuth',
    withOAuth({}, { headers: [{ name: 'Authorization', value: 'Bearer x' }] }),
    { code: 'header_auth_conflict', path: ['headers', 0, 'name'] },
  ],
];

describe('validateAction: OAuth 2.0 client credentials', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const result = validateAction(input);
    if (expected === 'ok') {
      expect(result).toEqual({ ok: true, action: input });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining(expected));
  });

  it('names the token URL in its messages', () => {
    const result = validateAction(withOAuth({ tokenUrl: 'http://auth.example.com/token' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toBe('The token URL must start with https://.');
  });
});

const saved: CredentialScope = { url: 'https://api.example.com/orders', auth: oauth };
const changed = (auth: Partial<OAuthClientCredentialsAuth>): CredentialScope => ({
  ...saved,
  auth: { ...oauth, ...auth },
});

describe('credentialDropReason: OAuth 2.0 client credentials', () => {
  it.each<[string, CredentialScope, CredentialDropReason | null]>([
    ['nothing changed', saved, null],
    ['the client authentication method', changed({ clientAuth: 'client_secret_post' }), null],
    [
      'the token URL host’s case and an explicit :443',
      changed({ tokenUrl: 'https://AUTH.example.com:443/oauth/token' }),
      null,
    ],
    ['the scope’s order', changed({ scope: 'orders:read' }), null],
    ['an absent audience and an empty one', changed({ audience: '' }), null],
    ['the action’s host', { ...saved, url: 'https://other.example.com/orders' }, 'origin'],
    ['the token URL’s host', changed({ tokenUrl: 'https://evil.example.com/oauth/token' }), 'token_url'],
    ['the token URL’s path', changed({ tokenUrl: 'https://auth.example.com/oauth/token2' }), 'token_url'],
    ['a token URL that does not parse', changed({ tokenUrl: 'nope' }), 'token_url'],
    ['the client id', changed({ clientId: 'other-bot' }), 'client_id'],
    ['a wider scope', changed({ scope: 'orders:read orders:write' }), 'scope'],
    ['no scope', changed({ scope: undefined }), 'scope'],
    ['the audience', changed({ audience: 'https://api.example.com' }), 'audience'],
    ['OAuth → bearer', { ...saved, auth: { type: 'bearer' } }, 'auth_type'],
  ])('%s', (_name, after, reason) => {
    expect(credentialDropReason(saved, after)).toBe(reason);
  });

  it('reads a scope as a set', () => {
    const before: CredentialScope = { ...saved, auth: { ...oauth, scope: 'a b' } };
    expect(credentialDropReason(before, { ...saved, auth: { ...oauth, scope: 'b a' } })).toBeNull();
  });
});
