import { describe, expect, it } from 'vitest';
import { CompiledActionCache } from './compiled-cache';

const definition = (url: string) => ({
  identifier: 'lookup',
  name: 'Lookup',
  description: 'Looks something up.',
  enabled: true,
  method: 'GET',
  url,
  headers: [],
  body: null,
  parameters: [],
  auth: { type: 'none' },
  requireVerifiedIdentity: false,
});

describe('CompiledActionCache', () => {
  it('reuses a compiled action for the same id and version, recompiles for a new version', () => {
    const cache = new CompiledActionCache();
    const v1 = cache.get({ id: 'a', version: 1, definition: definition('https://api.example.com/one') });
    const again = cache.get({ id: 'a', version: 1, definition: definition('https://api.example.com/two') });
    expect(again).toBe(v1);
    const v2 = cache.get({ id: 'a', version: 2, definition: definition('https://api.example.com/two') });
    expect(v2).not.toBe(v1);
    expect(v2.ok && v2.compiled.action.url).toBe('https://api.example.com/two');
  });

  it('keeps invalid results too and stays bounded, evicting the least recently used', () => {
    const cache = new CompiledActionCache(2);
    const bad = cache.get({ id: 'bad', version: 1, definition: { identifier: 'x' } });
    expect(bad.ok).toBe(false);
    cache.get({ id: 'b', version: 1, definition: definition('https://api.example.com/b') });
    cache.get({ id: 'bad', version: 1, definition: {} }); // touch: now most recent
    cache.get({ id: 'c', version: 1, definition: definition('https://api.example.com/c') });
    expect(cache.size).toBe(2);
    expect(cache.get({ id: 'bad', version: 1, definition: {} })).toBe(bad);
  });
});
