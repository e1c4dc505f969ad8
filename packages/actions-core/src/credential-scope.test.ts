import { describe, expect, it } from 'vitest';
import type { ActionAuth } from './action';
import {
  type CredentialDropReason,
  type CredentialScope,
  credentialDropReason,
  credentialStillApplies,
} from './credential-scope';

const bearer: ActionAuth = { type: 'bearer' };
const apiKey: ActionAuth = { type: 'api_key', headerName: 'X-Api-Key' };
const saved: CredentialScope = { url: 'https://api.example.com/orders/{{order_id}}?lang=en', auth: bearer };

describe('credentialDropReason / credentialStillApplies', () => {
  it.each<[string, CredentialScope, CredentialScope, CredentialDropReason | null]>([
    ['nothing changed', saved, saved, null],
    ['a new path', saved, { ...saved, url: 'https://api.example.com/v2/orders/{{order_id}}' }, null],
    ['a new query', saved, { ...saved, url: 'https://api.example.com/orders/{{order_id}}?lang=fi' }, null],
    [
      'the host’s letter case and an explicit :443',
      saved,
      { ...saved, url: 'https://API.example.com:443/x' },
      null,
    ],
    [
      'the API key header’s letter case',
      { ...saved, auth: apiKey },
      { ...saved, auth: { type: 'api_key', headerName: 'x-api-key' } },
      null,
    ],
    ['another host', saved, { ...saved, url: 'https://other.example.com/orders/{{order_id}}' }, 'origin'],
    ['a subdomain', saved, { ...saved, url: 'https://eu.api.example.com/orders/{{order_id}}' }, 'origin'],
    ['another port', saved, { ...saved, url: 'https://api.example.com:8443/orders' }, 'origin'],
    ['another scheme', saved, { ...saved, url: 'http://api.example.com/orders' }, 'origin'],
    ['a URL that does not parse', saved, { ...saved, url: 'api.example.com/orders' }, 'origin'],
    ['a saved URL that does not parse', { ...saved, url: 'nope' }, { ...saved, url: 'nope' }, 'origin'],
    ['an opaque origin on both sides', { ...saved, url: 'data:,x' }, { ...saved, url: 'data:,x' }, 'origin'],
    [
      'the host and the auth type (origin first)',
      saved,
      { url: 'https://b.example.com/', auth: apiKey },
      'origin',
    ],
    ['bearer → API key', saved, { ...saved, auth: apiKey }, 'auth_type'],
    ['API key → bearer', { ...saved, auth: apiKey }, saved, 'auth_type'],
    ['bearer → none', saved, { ...saved, auth: { type: 'none' } }, 'auth_type'],
    [
      'the API key’s header name',
      { ...saved, auth: apiKey },
      { ...saved, auth: { type: 'api_key', headerName: 'X-Other-Key' } },
      'header_name',
    ],
    [
      'the API key moved into Authorization',
      { ...saved, auth: apiKey },
      { ...saved, auth: { type: 'api_key', headerName: 'Authorization' } },
      'header_name',
    ],
  ])('%s', (_name, before, after, reason) => {
    expect(credentialDropReason(before, after)).toBe(reason);
    expect(credentialStillApplies(before, after)).toBe(reason === null);
  });

  it('reads only the URL and the auth, so a form draft or a stored action can be passed as they are', () => {
    const stored = { ...saved, identifier: 'x', description: 'A', id: 'act_1', version: 3 };
    expect(credentialStillApplies(stored, { ...saved, url: `${saved.url}&v=2` })).toBe(true);
  });
});
