import { compileAction } from '@aihio/actions-core';

export type CompileResult = ReturnType<typeof compileAction>;

/**
 * Validating and compiling an action's templates is the largest share of rendering, and an
 * action is invoked far more often than it is edited. Results are kept per (action id, version):
 * every change of a stored action bumps its version, so a stale entry is never looked up again
 * and simply ages out. Bounded, least recently used first out.
 */
export class CompiledActionCache {
  private readonly entries = new Map<string, CompileResult>();

  constructor(private readonly max = 1000) {}

  get(action: { id: string; version: number; definition: unknown }): CompileResult {
    const key = `${action.id}\u0000${action.version}`;
    let result = this.entries.get(key);
    if (result !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
    } else {
      result = compileAction(action.definition);
      if (this.entries.size >= this.max) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(key, result);
    return result;
  }

  get size(): number {
    return this.entries.size;
  }
}
