import type { ActionDefinition } from './action';
import type { Issue } from './errors';

export type ValidateResult = { ok: true; action: ActionDefinition } | { ok: false; errors: Issue[] };

/** Every rule of DESIGN.md ("The action"), as data: all problems at once, each with a path. */
export function validateAction(_input: unknown): ValidateResult {
  throw new Error('validateAction: not implemented yet');
}
