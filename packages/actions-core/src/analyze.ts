import { type ActionDefinition, type ActionParameter, IDENTITY_FIELDS, LIMITS, SNAKE_CASE } from './action';
import type { Issue } from './errors';
import { issue } from './issue';
import { compileResponseShaping, type ResponseShaper } from './response';
import { analyzeBody, type BodyTemplate } from './rules/body';
import { analyzeAuth, analyzeHeaders, type HeaderTemplate } from './rules/headers';
import { analyzeUrl, type UrlTemplate } from './rules/url';
import { findPlaceholderUsages } from './usages';

/** An action that passed every rule, with its templates ready to render. */
export interface CompiledAction {
  action: ActionDefinition;
  url: UrlTemplate;
  headers: HeaderTemplate[];
  body: BodyTemplate | null;
  /** The response shaping, compiled (null when the action has none). */
  response: ResponseShaper | null;
}

const SNAKE_CASE_HINT = 'Use lowercase letters, digits and underscores, starting with a letter';

function analyzeBasics(action: ActionDefinition): Issue[] {
  const issues: Issue[] = [];
  if (!SNAKE_CASE.test(action.identifier) || action.identifier.length > LIMITS.identifier) {
    issues.push(
      issue(
        'identifier_format',
        ['identifier'],
        action.identifier === ''
          ? 'Enter an identifier, like lookup_order.'
          : `${SNAKE_CASE_HINT} (e.g. lookup_order).`,
      ),
    );
  }
  if (action.description.trim() === '') {
    issues.push(
      issue(
        'description_blank',
        ['description'],
        'Describe when the agent should use this action, e.g. “Look up a customer’s order status by order number.”',
      ),
    );
  }
  if (action.visitorLabel !== undefined) {
    const label = action.visitorLabel;
    // Shown verbatim in the visitor's chat: one line of printable text (no controls or line breaks).
    if (label.trim() === '') {
      issues.push(
        issue(
          'visitor_label_invalid',
          ['visitorLabel'],
          'Write what the visitor sees while this runs, like “Looking up your order”, or leave the label out.',
        ),
      );
    } else if (/\p{Cc}/u.test(label)) {
      issues.push(
        issue(
          'visitor_label_invalid',
          ['visitorLabel'],
          'Keep the visitor label on one line, without control characters.',
        ),
      );
    }
  }
  const names = new Set<string>();
  action.parameters.forEach((parameter, index) => {
    if (!SNAKE_CASE.test(parameter.name)) {
      issues.push(
        issue(
          'parameter_name_format',
          ['parameters', index, 'name'],
          parameter.name === ''
            ? 'Enter a parameter name, like order_number.'
            : `${SNAKE_CASE_HINT} (e.g. order_number).`,
        ),
      );
    } else if (names.has(parameter.name)) {
      issues.push(
        issue(
          'parameter_name_duplicate',
          ['parameters', index, 'name'],
          `Another parameter is already named ${parameter.name}: parameter names must be unique.`,
        ),
      );
    }
    names.add(parameter.name);
    if (parameter.label.trim() === '') {
      issues.push(
        issue('label_blank', ['parameters', index, 'label'], 'Enter a label, like “Order number”.'),
      );
    }
    issues.push(...analyzeChoices(parameter, index));
  });
  return issues;
}

/** An enum has a non-empty list of distinct, non-blank choices; no other type has choices. */
function analyzeChoices(parameter: ActionParameter, index: number): Issue[] {
  const path = ['parameters', index, 'choices'];
  const choices = parameter.choices ?? [];
  if (parameter.type !== 'enum') {
    return choices.length > 0
      ? [issue('parameter_choices', path, 'Only a parameter of type “choice” (enum) has choices.')]
      : [];
  }
  if (choices.length === 0) {
    return [issue('parameter_choices', path, 'Add at least one choice the agent can pick from.')];
  }
  const issues: Issue[] = [];
  const seen = new Set<string>();
  choices.forEach((choice, i) => {
    if (choice.trim() === '') {
      issues.push(issue('parameter_choices', [...path, i], 'A choice cannot be blank.'));
    } else if (seen.has(choice)) {
      issues.push(issue('parameter_choices', [...path, i], `“${choice}” is already a choice.`));
    }
    seen.add(choice);
  });
  return issues;
}

/** Every placeholder names a parameter or an identity field; used parameters are required. */
function analyzeReferences(action: ActionDefinition): Issue[] {
  const issues: Issue[] = [];
  const optionalUsed = new Set<string>();
  let identityUsed = false;
  for (const usage of findPlaceholderUsages(action)) {
    const { ref, name, path } = usage;
    if (ref.kind === 'identity') {
      identityUsed = true;
    } else if (ref.kind === 'parameter') {
      if (action.parameters.find((p) => p.name === ref.name)?.required === false) optionalUsed.add(ref.name);
    } else if (name.startsWith('identity.')) {
      issues.push(
        issue(
          'identity_field_unknown',
          path,
          `{{${name}}} is not an identity field. Use one of ${IDENTITY_FIELDS.map((f) => `identity.${f}`).join(', ')}.`,
        ),
      );
    } else {
      issues.push(
        issue(
          'placeholder_unknown',
          path,
          `{{${name}}} is not a parameter of this action: add a parameter named ${name} or fix the name.`,
        ),
      );
    }
  }
  action.parameters.forEach((parameter, index) => {
    if (
      optionalUsed.has(parameter.name) &&
      action.parameters.findIndex((p) => p.name === parameter.name) === index
    ) {
      issues.push(
        issue(
          'placeholder_parameter_optional',
          ['parameters', index, 'required'],
          `${parameter.name} is used in the request, so it must be required: the call never runs with missing data.`,
        ),
      );
    }
  });
  if (identityUsed && !action.requireVerifiedIdentity) {
    issues.push(
      issue(
        'identity_requires_verification',
        ['requireVerifiedIdentity'],
        'The request sends verified visitor details ({{identity.…}}): turn on “Require verified identity”.',
      ),
    );
  }
  return issues;
}

/** Every rule of DESIGN.md that relates fields to each other, on a well-shaped action. */
export function analyzeAction(action: ActionDefinition): {
  issues: Issue[];
  compiled: CompiledAction | null;
} {
  const url = analyzeUrl(action.url);
  const headers = analyzeHeaders(action.headers, action.auth);
  const body = analyzeBody(action);
  const response = compileResponseShaping(action.response);
  const issues = [
    ...analyzeBasics(action),
    ...url.issues,
    ...headers.issues,
    ...analyzeAuth(action.auth),
    ...body.issues,
    ...analyzeReferences(action),
    ...response.issues,
  ];
  if (issues.length > 0 || !url.template || !headers.templates) return { issues, compiled: null };
  return {
    issues,
    compiled: {
      action,
      url: url.template,
      headers: headers.templates,
      body: body.template,
      response: response.shaper,
    },
  };
}
