import { z } from 'zod';
import { responseShapingSchema } from './response';

/**
 * The action contract of DESIGN.md ("The action"). These schemas check shape only (types, lengths,
 * enums); the rules that relate fields to each other live in `validateAction`, which reports every
 * problem with a path so the editor can show it at its field.
 */

export const LIMITS = {
  identifier: 64,
  description: 1024,
  url: 2048,
  parameters: 32,
  parameterName: 64,
  label: 120,
  hint: 500,
  headers: 32,
  headerName: 128,
  headerValue: 4096,
  body: 16_384,
  /** A single value an agent or tester supplies. */
  value: 2048,
  /** The whole rendered body. */
  renderedBody: 65_536,
  /** Choices of an enum parameter: how many, and the length of each. */
  choices: 64,
  choice: 256,
  /** OAuth 2.0 client credentials: the client id, the requested scope and the audience. */
  clientId: 256,
  scope: 1024,
  audience: 2048,
  /** The visitor-facing label the chat widget shows while the action runs ("Looking up your order"). */
  visitorLabel: 80,
} as const;

export const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const methodSchema = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof methodSchema>;

export const METHODS_WITH_BODY: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH'];

export const PARAMETER_TYPES = [
  'text',
  'email',
  'phone',
  'number',
  'integer',
  'boolean',
  'enum',
  'date',
] as const;
export const parameterTypeSchema = z.enum(PARAMETER_TYPES);
export type ParameterType = z.infer<typeof parameterTypeSchema>;

/**
 * Types whose value may stand bare in a JSON body (`{"qty": {{qty}}}`) and render as a JSON literal:
 * their canonical text is always exactly one JSON number or `true`/`false`.
 */
export const BARE_JSON_TYPES: readonly ParameterType[] = ['number', 'integer', 'boolean'];

/** Verified visitor fields an action may reference as `{{identity.<field>}}`. */
export const IDENTITY_FIELDS = ['user_id', 'email', 'name', 'phone'] as const;
export const identityFieldSchema = z.enum(IDENTITY_FIELDS);
export type IdentityField = z.infer<typeof identityFieldSchema>;

export const actionParameterSchema = z.object({
  name: z.string().max(LIMITS.parameterName),
  label: z.string().max(LIMITS.label),
  type: parameterTypeSchema,
  hint: z.string().max(LIMITS.hint).optional(),
  required: z.boolean(),
  /** The values an `enum` parameter takes (each non-empty, no repeats); only for `enum`. */
  choices: z.array(z.string().max(LIMITS.choice)).max(LIMITS.choices).optional(),
});
export type ActionParameter = z.infer<typeof actionParameterSchema>;

export const headerSchema = z.object({
  name: z.string().max(LIMITS.headerName),
  value: z.string().max(LIMITS.headerValue),
});
export type ActionHeader = z.infer<typeof headerSchema>;

export const AUTH_TYPES = ['none', 'bearer', 'api_key', 'oauth2_client_credentials'] as const;

/**
 * How an OAuth 2.0 client sends its secret to the token endpoint (RFC 6749 §2.3.1): HTTP Basic
 * (the default every server must support) or as `client_secret` in the form body.
 */
export const OAUTH_CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export const oauthClientAuthSchema = z.enum(OAUTH_CLIENT_AUTH_METHODS);
export type OAuthClientAuth = z.infer<typeof oauthClientAuthSchema>;

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4): the action's credential is the client
 * secret; the BFF exchanges it at `tokenUrl` for an access token sent as `Authorization: Bearer`.
 */
export const oauthClientCredentialsAuthSchema = z.object({
  type: z.literal('oauth2_client_credentials'),
  tokenUrl: z.string().max(LIMITS.url),
  clientId: z.string().max(LIMITS.clientId),
  scope: z.string().max(LIMITS.scope).optional(),
  audience: z.string().max(LIMITS.audience).optional(),
  clientAuth: oauthClientAuthSchema,
});
export type OAuthClientCredentialsAuth = z.infer<typeof oauthClientCredentialsAuthSchema>;

export const authSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer') }),
  z.object({ type: z.literal('api_key'), headerName: z.string().max(LIMITS.headerName) }),
  oauthClientCredentialsAuthSchema,
]);
export type ActionAuth = z.infer<typeof authSchema>;
export type AuthType = ActionAuth['type'];

/**
 * Who confirms a call before it is made. `auto` (the default): the visitor confirms POST, PUT,
 * PATCH and DELETE, never GET; `always`: every call; `never`: no call. The server enforces it
 * (an invoke without a valid confirmation makes no call and answers `confirmation_required`).
 */
export const CONFIRMATION_MODES = ['auto', 'always', 'never'] as const;
export const confirmationModeSchema = z.enum(CONFIRMATION_MODES);
export type ConfirmationMode = z.infer<typeof confirmationModeSchema>;

export const actionDefinitionSchema = z.object({
  identifier: z.string().max(LIMITS.identifier),
  description: z.string().max(LIMITS.description),
  method: methodSchema,
  url: z.string().max(LIMITS.url),
  headers: z.array(headerSchema).max(LIMITS.headers),
  body: z.string().max(LIMITS.body).nullable().optional(),
  parameters: z.array(actionParameterSchema).max(LIMITS.parameters),
  auth: authSchema,
  requireVerifiedIdentity: z.boolean(),
  enabled: z.boolean(),
  /** What the agent sees of a response (see response.ts); absent: the whole body, cut to the budget. */
  response: responseShapingSchema.optional(),
  /**
   * Optional so that actions stored before the field existed, and clients that predate it, keep
   * their meaning: absent is `auto`. Read it through `confirmationOf`.
   */
  confirmation: confirmationModeSchema.optional(),
  /** What the visitor sees while the action runs; absent: the widget's generic wording. */
  visitorLabel: z.string().max(LIMITS.visitorLabel).optional(),
});
export type ActionDefinition = z.infer<typeof actionDefinitionSchema>;

/** The action's confirmation mode, `auto` when it has none (actions stored before the field existed). */
export function confirmationOf(action: Pick<ActionDefinition, 'confirmation'>): ConfirmationMode {
  return action.confirmation ?? 'auto';
}

/** Whether a call of this action waits for the visitor's confirmation. */
export function needsConfirmation(action: Pick<ActionDefinition, 'confirmation' | 'method'>): boolean {
  const mode = confirmationOf(action);
  return mode === 'always' || (mode === 'auto' && action.method !== 'GET');
}

/** What only the last characters of a stored secret reveal, for identification. */
export const credentialSummarySchema = z.object({ last4: z.string().max(4) });
export type CredentialSummary = z.infer<typeof credentialSummarySchema>;

export const RUN_SOURCES = ['test', 'agent'] as const;
export const runSourceSchema = z.enum(RUN_SOURCES);
export type RunSource = z.infer<typeof runSourceSchema>;

/** The last run shown beside an action in lists: outcome is `ok` or an error code. */
export const lastRunSchema = z.object({
  at: z.iso.datetime(),
  source: runSourceSchema,
  outcome: z.string(),
  httpStatus: z.number().int().nullable(),
});
export type LastRun = z.infer<typeof lastRunSchema>;

/** An action as the BFF stores and returns it. */
export const storedActionSchema = actionDefinitionSchema.extend({
  id: z.string(),
  chatbotId: z.string(),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  credential: credentialSummarySchema.nullable(),
  lastRun: lastRunSchema.nullable(),
});
export type StoredAction = z.infer<typeof storedActionSchema>;

/** A blank action, the editor's starting point. */
export function emptyAction(): ActionDefinition {
  return {
    identifier: '',
    description: '',
    method: 'GET',
    url: 'https://',
    headers: [],
    body: null,
    parameters: [],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
  };
}
