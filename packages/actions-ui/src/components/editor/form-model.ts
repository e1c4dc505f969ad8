import {
  type ActionDefinition,
  type ActionParameter,
  type IssueCode,
  validateAction,
} from '@aihio/actions-core';
import type { Resolver } from 'react-hook-form';
import { ActionsApiError } from '../../client';
import { pathKey } from '../../lib/usage';

/** The form's values: a definition whose body is a string (empty when there is none). */
export interface ActionFormValues extends Omit<ActionDefinition, 'body'> {
  body: string;
}

export function toForm(definition: ActionDefinition): ActionFormValues {
  return { ...definition, body: definition.body ?? '' };
}

// The parameters' canonical form, per array: a keystroke elsewhere leaves the array as it was,
// so the 100-row table is not copied again on every character typed into the URL.
const canonicalParameters = new WeakMap<readonly ActionParameter[], ActionParameter[]>();

function withoutEmptyHints(parameters: readonly ActionParameter[]): ActionParameter[] {
  const cached = canonicalParameters.get(parameters);
  if (cached) return cached;
  const result = parameters.map(({ hint, ...p }) => (hint ? { ...p, hint } : p));
  canonicalParameters.set(parameters, result);
  return result;
}

/** The form's values as a definition: an empty body is `null`, an empty hint is absent. */
export function toDefinition(values: ActionFormValues): ActionDefinition {
  return {
    ...values,
    body: values.body === '' ? null : values.body,
    parameters: withoutEmptyHints(values.parameters),
  };
}

/** Two definitions are the same when their canonical (validated) forms serialize alike. */
export function sameDefinition(a: ActionDefinition, b: ActionDefinition): boolean {
  const ca = validateAction(a);
  const cb = validateAction(b);
  return ca.ok && cb.ok && JSON.stringify(ca.action) === JSON.stringify(cb.action);
}

export function asApiError(error: unknown): ActionsApiError {
  return error instanceof ActionsApiError
    ? error
    : new ActionsApiError('internal_error', error instanceof Error ? error.message : String(error), 0);
}

/** Issues shown at once, without waiting for the owner to touch their field: they follow from a change elsewhere. */
export const ALWAYS_SHOWN: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'placeholder_parameter_optional',
  'identity_requires_verification',
  'body_not_allowed',
  'header_auth_conflict',
]);

/** Core's `validateAction` as react-hook-form's resolver: the same rules as the server, on submit. */
export const actionResolver: Resolver<ActionFormValues> = async (values) => {
  const result = validateAction(toDefinition(values));
  if (result.ok) return { values, errors: {} };
  const errors: Record<string, { type: string; message: string }> = {};
  for (const issue of result.errors) {
    const key = pathKey(issue.path) || 'root';
    errors[key] ??= { type: issue.code, message: issue.message };
  }
  return { values: {}, errors: errors as never };
};
