import { z } from 'zod';
import type { Issue } from './errors';
import { issue } from './issue';

/**
 * What the agent sees of a response. An API answering with 500 fields would fill the model's
 * context with 490 it has no use for (and some it should not read), so an action may keep only
 * some paths of a JSON body (`pick`), drop some (`omit`), and set a smaller budget (`maxChars`).
 *
 * Path syntax, small on purpose:
 *   path := step ('.' key | '[*]')*      step := key | '[*]'      key := one or more characters
 *   other than `.`, `[`, `]`
 * - `order.status` is the `status` key of the `order` object;
 * - `items[*].sku` is the `sku` of every element of the `items` array; `[*].id` the `id` of every
 *   element when the body itself is an array.
 * `pick` keeps the listed paths and the structure leading to them (objects stay objects, arrays stay
 * arrays); `omit` then removes paths. A path that is absent in a response is ignored. Non-JSON bodies
 * pass through, cut to the budget.
 */

export const RESPONSE_LIMITS = {
  paths: 32,
  path: 256,
  /** `maxChars` may not go below this: a smaller view is rarely more than a cut-off fragment. */
  minChars: 100,
  maxChars: 100_000,
} as const;

export const responseShapingSchema = z.object({
  pick: z.array(z.string().max(RESPONSE_LIMITS.path)).max(RESPONSE_LIMITS.paths).optional(),
  omit: z.array(z.string().max(RESPONSE_LIMITS.path)).max(RESPONSE_LIMITS.paths).optional(),
  maxChars: z.number().optional(),
});
export type ResponseShaping = z.infer<typeof responseShapingSchema>;

/** One step of a path: a key of an object, or every element of an array. */
export type PathStep = { kind: 'key'; key: string } | { kind: 'all' };

/** A path's steps, or a message saying what is wrong with it. */
export function parseResponsePath(
  text: string,
): { ok: true; steps: PathStep[] } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'Enter a path, like order.status or items[*].sku.' };
  const steps: PathStep[] = [];
  let i = 0;
  let expectKey = true; // at the start, or right after a dot
  while (i < text.length) {
    if (text.startsWith('[*]', i)) {
      if (expectKey && i > 0) return { ok: false, message: `At character ${i + 1}: a key must follow “.”.` };
      steps.push({ kind: 'all' });
      i += 3;
      expectKey = false;
      continue;
    }
    const c = text[i];
    if (c === '[' || c === ']') {
      return {
        ok: false,
        message: `At character ${i + 1}: brackets only as [*] (every element of a list).`,
      };
    }
    if (c === '.') {
      if (expectKey) return { ok: false, message: `At character ${i + 1}: a key is missing before “.”.` };
      expectKey = true;
      i += 1;
      continue;
    }
    if (!expectKey) return { ok: false, message: `At character ${i + 1}: separate keys with “.”.` };
    let end = i;
    while (end < text.length && !'.[]'.includes(text[end] as string)) end += 1;
    steps.push({ kind: 'key', key: text.slice(i, end) });
    i = end;
    expectKey = false;
  }
  if (expectKey) return { ok: false, message: 'The path ends with “.”: add the key after it.' };
  return { ok: true, steps };
}

/** A trie of paths: what to keep (or drop) below one JSON value. */
interface PathNode {
  /** The path ends here: keep (or drop) this whole value. */
  whole: boolean;
  keys: Map<string, PathNode>;
  all: PathNode | null;
}

const node = (): PathNode => ({ whole: false, keys: new Map(), all: null });

function addPath(root: PathNode, steps: PathStep[]): void {
  let current = root;
  for (const step of steps) {
    if (step.kind === 'all') {
      current.all ??= node();
      current = current.all;
    } else {
      let next = current.keys.get(step.key);
      if (!next) {
        next = node();
        current.keys.set(step.key, next);
      }
      current = next;
    }
  }
  current.whole = true;
}

/** An action's response shaping, compiled once per action version (the BFF caches it). */
export interface ResponseShaper {
  pick: PathNode | null;
  omit: PathNode | null;
  maxChars: number | null;
}

/** Check an action's `response` and compile it; issues have paths under `['response', …]`. */
export function compileResponseShaping(response: ResponseShaping | undefined): {
  shaper: ResponseShaper | null;
  issues: Issue[];
} {
  if (!response) return { shaper: null, issues: [] };
  const issues: Issue[] = [];
  const trie = (list: string[] | undefined, field: 'pick' | 'omit'): PathNode | null => {
    if (!list || list.length === 0) return null;
    const root = node();
    list.forEach((text, index) => {
      const parsed = parseResponsePath(text);
      if (parsed.ok) addPath(root, parsed.steps);
      else issues.push(issue('response_path_invalid', ['response', field, index], parsed.message));
    });
    return root;
  };
  const pick = trie(response.pick, 'pick');
  const omit = trie(response.omit, 'omit');
  const { maxChars } = response;
  if (
    maxChars !== undefined &&
    (!Number.isInteger(maxChars) ||
      maxChars < RESPONSE_LIMITS.minChars ||
      maxChars > RESPONSE_LIMITS.maxChars)
  ) {
    issues.push(
      issue(
        'response_max_chars',
        ['response', 'maxChars'],
        `Enter a whole number of characters from ${RESPONSE_LIMITS.minChars} to ${RESPONSE_LIMITS.maxChars}.`,
      ),
    );
  }
  if (issues.length > 0) return { shaper: null, issues };
  if (!pick && !omit && maxChars === undefined) return { shaper: null, issues };
  return { shaper: { pick, omit, maxChars: maxChars ?? null }, issues };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The parts of `value` the trie names, in their structure; undefined when none is there. */
function picked(trie: PathNode, value: unknown): unknown {
  if (trie.whole) return value;
  if (Array.isArray(value)) {
    if (!trie.all) return undefined;
    const all = trie.all;
    const out: unknown[] = [];
    for (const element of value) {
      const kept = picked(all, element);
      // An element without the picked keys stays as an empty object, so the list keeps its length.
      if (kept !== undefined) out.push(kept);
      else if (isObject(element)) out.push({});
    }
    return out;
  }
  if (isObject(value) && trie.keys.size > 0) {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [key, child] of trie.keys) {
      if (!Object.hasOwn(value, key)) continue;
      const kept = picked(child, value[key]);
      if (kept === undefined) continue;
      // defineProperty: a `__proto__` key from the response stays an ordinary key.
      Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
      any = true;
    }
    return any ? out : undefined;
  }
  return undefined;
}

/** `value` without the parts the trie names (a new value; the input is not changed). */
function omitted(trie: PathNode, value: unknown): unknown {
  if (Array.isArray(value)) {
    const all = trie.all;
    if (!all) return value;
    return all.whole ? [] : value.map((element) => omitted(all, element));
  }
  if (isObject(value) && trie.keys.size > 0) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = trie.keys.get(key);
      if (child?.whole) continue;
      const kept = child ? omitted(child, value[key]) : value[key];
      Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Cut text to `max` UTF-16 units without leaving half a surrogate pair at the end. */
export function cutChars(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), cut: true };
}

/**
 * What the agent receives of a response body, by the action's shaping: a JSON body with `pick` and
 * `omit` applied (written compactly), any body cut to `maxChars`. `shaped` says whether the JSON was
 * reshaped; `cut` whether `maxChars` cut it. A body that is not JSON (or was cut at the response cap,
 * so it no longer parses) passes through, cut to the budget.
 */
export function shapeResponseBody(
  shaper: ResponseShaper | null,
  body: string,
): { body: string; shaped: boolean; cut: boolean } {
  if (!shaper) return { body, shaped: false, cut: false };
  let text = body;
  let shaped = false;
  if (shaper.pick || shaper.omit) {
    const json = parseJsonBody(body);
    if (json.ok) {
      let value = json.value;
      if (shaper.pick) value = picked(shaper.pick, value) ?? {};
      if (shaper.omit) value = omitted(shaper.omit, value);
      text = JSON.stringify(value);
      shaped = true;
    }
  }
  if (shaper.maxChars === null) return { body: text, shaped, cut: false };
  const cut = cutChars(text, shaper.maxChars);
  return { body: cut.text, shaped, cut: cut.cut };
}

function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  const first = body.trimStart()[0];
  // Only objects and arrays have paths; a cheap look first spares parsing an HTML error page.
  if (first !== '{' && first !== '[') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
