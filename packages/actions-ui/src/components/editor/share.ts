function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const key of ka) {
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}

function shareValue(prev: unknown, next: unknown): unknown {
  if (prev === next) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const items = next.map((item, i) => shareValue(prev[i], item));
    return items.length === prev.length && items.every((item, i) => item === prev[i]) ? prev : items;
  }
  if (prev && next && typeof prev === 'object' && typeof next === 'object' && !Array.isArray(next)) {
    const entries = Object.entries(next).map(([k, v]) => [
      k,
      shareValue((prev as Record<string, unknown>)[k], v),
    ]);
    const shared = Object.fromEntries(entries) as object;
    return shallowEqual(prev, shared) ? prev : shared;
  }
  return next;
}

/**
 * `next` with every part equal to `prev`'s replaced by `prev`'s (structural sharing, as TanStack
 * Query's `replaceEqualDeep`): an edit to the URL leaves `parameters` the same array, so memoized
 * work keyed on it (usage, suggestions, the table's rows) is not redone; nothing changed, `prev` itself.
 */
export function replaceEqualDeep<T>(prev: T, next: T): T {
  return shareValue(prev, next) as T;
}
