import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The BFF's production modules import one way: app.ts builds the routes, and routes take their
// dependencies' type from deps.ts. Once every route imported `AppDeps` from app.ts, which imports
// the routes: a circle through seven files. Any cycle (type imports included) fails here.
const srcDir = import.meta.dirname;

function productionModules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'testing' ? [] : productionModules(full);
    return /\.tsx?$/u.test(name) && !/\.test\.tsx?$/u.test(name) ? [full] : [];
  });
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this spelling; try the next.
    }
  }
  return undefined;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/gu)].map(
    (match) => match[1] ?? '',
  );
  return specifiers.flatMap((specifier) => resolveRelative(file, specifier) ?? []);
}

function findCycles(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    const at = trail.indexOf(name);
    if (at >= 0) {
      cycles.push([...trail.slice(at), name].map((file) => path.relative(srcDir, file)).join(' → '));
      return;
    }
    if (done.has(name)) return;
    for (const next of graph.get(name) ?? []) visit(next, [...trail, name]);
    done.add(name);
  };
  for (const name of graph.keys()) visit(name, []);
  return cycles;
}

describe('the module graph of @aihio/bff', () => {
  const modules = productionModules(srcDir);
  const graph = new Map(modules.map((file) => [file, importsOf(file)]));

  it('has no import cycle', () => {
    expect(modules.length).toBeGreaterThan(20);
    expect(findCycles(graph)).toEqual([]);
  });

  it('would notice the old circle (routes importing AppDeps from app.ts)', () => {
    const app = path.join(srcDir, 'app.ts');
    const route = path.join(srcDir, 'routes', 'agent.ts');
    const withOldImport = new Map(graph);
    withOldImport.set(route, [...(graph.get(route) ?? []), app]);
    expect(
      findCycles(withOldImport).some((cycle) => cycle.startsWith('app.ts') || cycle.includes('→ app.ts')),
    ).toBe(true);
  });

  it('keeps load-test support out of the production tree', () => {
    expect(modules.some((file) => file.includes(`${path.sep}load${path.sep}`))).toBe(false);
  });
});
