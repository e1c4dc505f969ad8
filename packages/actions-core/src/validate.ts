import type { z } from 'zod';
import { type ActionDefinition, AUTH_TYPES, actionDefinitionSchema, PARAMETER_TYPES } from './action';
import { analyzeAction, type CompiledAction } from './analyze';
import type { Issue } from './errors';
import { issue } from './issue';

export type ValidateResult = { ok: true; action: ActionDefinition } | { ok: false; errors: Issue[] };

/** Every rule of DESIGN.md ("The action"), as data: all problems at once, each with a path. */
export function validateAction(input: unknown): ValidateResult {
  const result = compileAction(input);
  return result.ok ? { ok: true, action: result.compiled.action } : result;
}

/** Validate and prepare the templates for rendering (what `renderRequest` does first). */
export function compileAction(
  input: unknown,
): { ok: true; compiled: CompiledAction } | { ok: false; errors: Issue[] } {
  const shape = actionDefinitionSchema.safeParse(input);
  if (!shape.success) return { ok: false, errors: shape.error.issues.map((i) => fromZodIssue(i, input)) };
  const { issues, compiled } = analyzeAction(shape.data);
  return compiled ? { ok: true, compiled } : { ok: false, errors: issues };
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A zod issue in the vocabulary of ISSUE_CODES, with a message for the person at the field. */
function fromZodIssue(zodIssue: z.core.$ZodIssue, input: unknown): Issue {
  const path = zodIssue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const missing = valueAt(input, zodIssue.path) === undefined;
  switch (zodIssue.code) {
    case 'too_big':
      return zodIssue.origin === 'array'
        ? issue('too_many', path, `Too many: at most ${zodIssue.maximum}.`)
        : issue('too_long', path, `Too long: at most ${zodIssue.maximum} characters.`);
    case 'invalid_value':
      if (path[0] === 'parameters' && path[2] === 'type') {
        return issue('parameter_type', path, `Choose a type: ${PARAMETER_TYPES.join(', ')}.`);
      }
      return issue(
        missing ? 'required' : 'invalid_type',
        path,
        `Choose one of ${zodIssue.values.map(String).join(', ')}.`,
      );
    case 'invalid_union':
      return issue(
        missing ? 'required' : 'invalid_type',
        path,
        path[0] === 'auth'
          ? `Choose the authentication: ${AUTH_TYPES.join(', ')}.`
          : 'Choose one of the options.',
      );
    case 'invalid_type':
      if (missing && path.length > 0) return issue('required', path, 'This field is required.');
      return issue('invalid_type', path, `Expected ${describeExpected(zodIssue.expected)}.`);
    default:
      return issue('invalid_type', path, zodIssue.message);
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object with the action’s fields';
    default:
      return expected;
  }
}
