/**
 * Every error code of Aihio Actions, in one table: the HTTP status the BFF answers with when the
 * code is the error of a whole request, and a default message written for a chatbot owner.
 * Codes are stable API: clients (the UI kit, agent runtimes) match on them. Add, never rename.
 */
export const ERROR_CODES = {
  // Request-level errors of the BFF API.
  invalid_request: { status: 400, message: 'The request is malformed.' },
  validation_failed: { status: 422, message: 'The action has errors. Fix the marked fields and try again.' },
  unauthenticated: { status: 401, message: 'Sign in again: the session is missing or has expired.' },
  forbidden: { status: 403, message: 'Your role does not allow this change.' },
  not_found: { status: 404, message: 'Not found.' },
  identifier_taken: { status: 409, message: 'Another action of this chatbot already uses this identifier.' },
  version_conflict: {
    status: 412,
    message: 'Someone else changed this action since you opened it. Reload to see their version.',
  },
  precondition_required: { status: 428, message: 'Send If-Match with the version you are updating.' },
  plan_required: { status: 402, message: 'Custom HTTP actions need the Starter plan or above.' },
  rate_limited: { status: 429, message: 'Too many requests. Wait a moment and try again.' },
  quota_exceeded: {
    status: 409,
    message: 'This workspace has reached a limit. Remove something to add more.',
  },
  invalid_cursor: { status: 400, message: 'The list cursor is not valid: start again from the first page.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  action_disabled: { status: 409, message: 'This action is turned off.' },
  credential_required: {
    status: 422,
    message: 'This action uses authentication: enter the credential to test it.',
  },
  credential_missing: {
    status: 409,
    message: 'This action uses authentication but no credential is stored for it.',
  },
  overloaded: { status: 503, message: 'Too many calls are running for this workspace. Try again shortly.' },
  unavailable: { status: 503, message: 'The service is temporarily unavailable. Try again shortly.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },

  // Outcomes of rendering a call from arguments (agent invoke, test panel).
  invalid_arguments: { status: 422, message: 'Some values are missing or not valid for this action.' },
  confirmation_required: {
    status: 409,
    message:
      'The visitor confirms this call before it runs: show them the summary, and once they agree call again with the same arguments and the confirmation token.',
  },
  confirmation_invalid: {
    status: 409,
    message:
      'This confirmation does not fit the call: it was already used or has expired, or the arguments, the visitor or the action changed since. Ask the visitor again.',
  },
  identity_unverified: {
    status: 403,
    message:
      'This action sends verified visitor details, and the visitor is not verified with a signed JWT, so the call was not made.',
  },

  // Outcomes of the outbound call (the egress codes of DESIGN.md).
  blocked_destination: { status: 502, message: 'The address is not one that actions may call.' },
  invalid_url: { status: 502, message: 'The URL is not a valid https URL.' },
  // One message for a name that does not exist and one that resolves to an internal address (no DNS oracle).
  dns_failed: {
    status: 502,
    message: 'The host name cannot be called: it could not be resolved to a public address.',
  },
  connect_failed: { status: 502, message: 'The endpoint could not be reached.' },
  tls_failed: { status: 502, message: 'The endpoint’s TLS certificate could not be verified.' },
  timeout: { status: 504, message: 'The endpoint did not answer in time.' },
  response_too_large: { status: 502, message: 'The endpoint’s response was larger than allowed.' },
  request_too_large: { status: 413, message: 'The request body is larger than allowed.' },
  import_fetch_failed: {
    status: 502,
    message: 'The document could not be fetched: the server did not answer 200 with a document.',
  },
  aborted: { status: 499, message: 'The call was cancelled.' },

  // Outcomes of the OAuth 2.0 token step (client credentials), before the call itself.
  oauth_token_failed: {
    status: 502,
    message: 'The token endpoint refused to issue an access token. Check the client id, secret and scope.',
  },
  oauth_token_invalid: {
    status: 502,
    message: 'The token endpoint’s answer was not an access token (RFC 6749 §5.1).',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * Codes of one problem inside an action definition (`validateAction`) or inside the values an
 * agent or tester supplied (`renderRequest`). Each has a `path` into the definition or values.
 */
export const ISSUE_CODES = [
  // shape
  'required',
  'invalid_type',
  'too_long',
  'too_many',
  // identifier and description
  'identifier_format',
  'description_blank',
  'visitor_label_invalid',
  // url
  'url_invalid',
  'url_not_https',
  'url_userinfo',
  'url_fragment',
  'url_port',
  'url_placeholder_position',
  // templates
  'template_syntax',
  'placeholder_unknown',
  'placeholder_parameter_optional',
  'identity_field_unknown',
  'identity_requires_verification',
  // parameters
  'parameter_name_format',
  'parameter_name_duplicate',
  'label_blank',
  'parameter_type',
  'parameter_choices',
  // headers
  'header_name_invalid',
  'header_forbidden',
  'header_auth_conflict',
  'header_duplicate',
  'header_value_invalid',
  // body
  'body_not_allowed',
  'body_invalid',
  'body_placeholder_position',
  // auth
  'auth_header_name_invalid',
  // response shaping
  'response_path_invalid',
  'response_max_chars',
  'oauth_client_id_invalid',
  'oauth_scope_invalid',
  'oauth_audience_invalid',
  // values (renderRequest)
  'value_required',
  'value_type',
  'value_too_long',
  'value_email',
  'value_phone',
  'value_number',
  'value_integer',
  'value_boolean',
  'value_enum',
  'value_date',
  'value_characters',
  'value_path_segment',
  'value_header',
  'body_too_large',
  'identity_unverified',
  'identity_field_missing',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

/** One problem, at a place. `message` is written for the person who can fix it. */
export interface Issue {
  code: IssueCode;
  path: (string | number)[];
  message: string;
}
