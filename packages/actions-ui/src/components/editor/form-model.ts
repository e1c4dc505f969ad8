import {
  type ActionDefinition,
  type ActionParameter,
  type Issue,
  type IssueCode,
  type ValidateResult,
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
  const { confirmation, visitorLabel, ...rest } = values;
  return {
    ...rest,
    body: values.body === '' ? null : values.body,
    parameters: withoutEmptyHints(values.parameters),
    // The default is left out (absent means `auto`), so an action saved before the setting
    // existed reads back unchanged; an empty label is no label (the widget's generic wording).
    ...(confirmation && confirmation !== 'auto' ? { confirmation } : {}),
    ...(visitorLabel ? { visitorLabel } : {}),
  };
}

/** `confirmation: 'auto'` and no confirmation mean the same. */
function withoutDefaults({ confirmation, ...rest }: ActionDefinition): ActionDefinition {
  return confirmation && confirmation !== 'auto' ? { ...rest, confirmation } : rest;
}

/** Two definitions are the same when their canonical (validated) forms serialize alike. */
export function sameDefinition(a: ActionDefinition, b: ActionDefinition): boolean {
  const ca = validateAction(withoutDefaults(a));
  const cb = validateAction(withoutDefaults(b));
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

/** The shortest description the editor accepts: the agent decides from it when to act. */
export const DESCRIPTION_MIN = 10;

/**
 * The editor's own rule on top of core's: a description of a word or two cannot tell the agent
 * when to act. (Core accepts any non-blank one, so stored actions and the API are unaffected.)
 */
export function editorIssues(definition: ActionDefinition): Issue[] {
  const length = definition.description.trim().length;
  return length > 0 && length < DESCRIPTION_MIN
    ? [
        {
          // Not one of core's codes: the catalog's `issue.description_too_short` names it.
          code: 'description_too_short' as IssueCode,
          path: ['description'],
          message: `Say in a sentence when the AI agent should use this action (at least ${DESCRIPTION_MIN} characters).`,
        },
      ]
    : [];
}

/** Core's `validateAction` and the editor's rule: the result the form shows and saves by. */
export function validateDraft(definition: ActionDefinition): ValidateResult {
  const result = validateAction(definition);
  const own = editorIssues(definition);
  if (own.length === 0) return result;
  return { ok: false, errors: [...(result.ok ? [] : result.errors), ...own] };
}

/** `validateDraft` as react-hook-form's resolver: the same rules as the server (and the editor's), on submit. */
export const actionResolver: Resolver<ActionFormValues> = async (values) => {
  const result = validateDraft(toDefinition(values));
  if (result.ok) return { values, errors: {} };
  const errors: Record<string, { type: string; message: string }> = {};
  for (const issue of result.errors) {
    const key = pathKey(issue.path) || 'root';
    errors[key] ??= { type: issue.code, message: issue.message };
  }
  return { values: {}, errors: errors as never };
};
