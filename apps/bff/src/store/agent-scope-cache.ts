import type { AgentScope } from './types';

/**
 * The agent invoke's one read (key, workspace, chatbot, action) for the SQLite store, kept per
 * (key hash, chatbot, identifier) and served only while the database's change generation is the
 * one the entry was read at (`SqliteChanges` in sqlite.ts): any write that could touch these rows
 * retires every entry at once. So an edited, disabled or deleted action, a removed credential or
 * a revoked key is seen by the next invoke when this process wrote it, and within
 * CROSS_PROCESS_CHECK_MS (0.1 s) when another process on the same file did. Only complete scopes are kept (a bad key or an unknown identifier is read again:
 * nothing a caller sends can fill the cache with misses). Bounded, least recently used out.
 */
export class AgentScopeCache {
  readonly #entries = new Map<string, { generation: number; scope: AgentScope }>();

  constructor(private readonly max = 1024) {}

  static key(keyHash: string, chatbotId: string, identifier: string): string {
    return `${keyHash}\u0000${chatbotId}\u0000${identifier}`;
  }

  get(key: string, generation: number): AgentScope | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.generation !== generation) return undefined;
    // Re-inserted: Map order is insertion order, so the oldest key is the least recently used.
    this.#entries.set(key, entry);
    return entry.scope;
  }

  set(key: string, generation: number, scope: AgentScope): void {
    if (this.#entries.size >= this.max && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    // Shared between invokes: frozen, so no caller can change what the next one reads.
    this.#entries.set(key, { generation, scope: deepFreeze(scope) });
  }

  get size(): number {
    return this.#entries.size;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
