import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The package's modules import one way (README, "Module direction"): address judging at the
// bottom, the policy above the host overrides, the client on top. A cycle (policy.ts,
// host-overrides.ts and address.ts once imported each other) fails here.
const dir = new URL('./', import.meta.url);
const modules = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

function importsOf(name: string): string[] {
  const text = readFileSync(new URL(name, dir), 'utf8');
  return [...text.matchAll(/from '\.\/([a-z-]+)'/gu)].map((match) => `${match[1]}.ts`);
}

const graph = new Map(modules.map((name) => [name, importsOf(name)]));

describe('the module graph of @aihio/egress', () => {
  it('has no cycle', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' → '));
        return;
      }
      for (const next of graph.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of modules) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the bottom modules free of the rest of the package', () => {
    for (const name of ['address.ts', 'dns-lookup.ts', 'errors.ts']) expect(graph.get(name)).toEqual([]);
    expect(graph.get('host-overrides.ts')).toEqual(['address.ts']);
    expect(graph.get('address.ts')).not.toContain('policy.ts');
  });
});
