export type {
  ActionAuth,
  ActionDefinition,
  ActionHeader,
  ActionParameter,
  AuthType,
  ConfirmationMode,
  CredentialSummary,
  HttpMethod,
  IdentityField,
  LastRun,
  OAuthClientAuth,
  OAuthClientCredentialsAuth,
  ParameterType,
  RunSource,
  StoredAction,
} from './action';
export {
  AUTH_TYPES,
  actionDefinitionSchema,
  actionParameterSchema,
  authSchema,
  BARE_JSON_TYPES,
  CONFIRMATION_MODES,
  confirmationModeSchema,
  confirmationOf,
  credentialSummarySchema,
  emptyAction,
  HTTP_METHODS,
  headerSchema,
  IDENTITY_FIELDS,
  identityFieldSchema,
  LIMITS,
  lastRunSchema,
  METHODS_WITH_BODY,
  methodSchema,
  needsConfirmation,
  OAUTH_CLIENT_AUTH_METHODS,
  oauthClientAuthSchema,
  oauthClientCredentialsAuthSchema,
  PARAMETER_TYPES,
  parameterTypeSchema,
  RUN_SOURCES,
  runSourceSchema,
  SNAKE_CASE,
  storedActionSchema,
} from './action';
export type { CompiledAction } from './analyze';
export type {
  ActionListResponse,
  ApiRoute,
  ArgumentValues,
  Chatbot,
  ConfirmationChallenge,
  CreateChatbotRequest,
  ErrorEnvelope,
  InvokeRequest,
  InvokeResult,
  ListQuery,
  MeResponse,
  OpenApiFetchRequest,
  OpenApiFetchResponse,
  Plan,
  Role,
  RunError,
  RunRecord,
  SampleIdentity,
  SaveActionRequest,
  SetCredentialRequest,
  SetEnabledRequest,
  SetSecretRequest,
  TestDraftRequest,
  TestResult,
  TestSavedRequest,
  TokenStep,
  ToolDefinition,
  VisitorIdentity,
} from './api';
export {
  API_ROUTES,
  actionListResponseSchema,
  argumentValuesSchema,
  chatbotListResponseSchema,
  chatbotSchema,
  confirmationChallengeSchema,
  confirmationSummarySchema,
  createChatbotRequestSchema,
  createServiceKeyResponseSchema,
  errorEnvelopeSchema,
  formattedToolListResponseSchema,
  invokeRequestSchema,
  invokeResultSchema,
  issueSchema,
  listQuerySchema,
  MAX_PAGE_SIZE,
  meResponseSchema,
  nextCursorSchema,
  openApiFetchRequestSchema,
  openApiFetchResponseSchema,
  PLANS,
  PLANS_WITH_ACTIONS,
  planSchema,
  ROLES,
  roleSchema,
  routePath,
  runErrorSchema,
  runListResponseSchema,
  runRecordSchema,
  SHOWN_RESPONSE_HEADERS,
  sampleIdentitySchema,
  saveActionRequestSchema,
  serviceKeyListResponseSchema,
  serviceKeySchema,
  setCredentialRequestSchema,
  setEnabledRequestSchema,
  setSecretRequestSchema,
  testDraftRequestSchema,
  testResultSchema,
  testSavedRequestSchema,
  tokenStepSchema,
  toolDefinitionSchema,
  toolListQuerySchema,
  toolListResponseSchema,
  visitorIdentitySchema,
} from './api';
export type { ConfirmationSummary } from './confirmation';
export { summarizeCall } from './confirmation';
export type { CredentialDropReason, CredentialScope } from './credential-scope';
export {
  CREDENTIAL_DROP_REASONS,
  credentialDropReason,
  credentialStillApplies,
} from './credential-scope';
export type { CurlImport, CurlParseResult } from './curl';
export { API_KEY_HEADERS, parseCurl } from './curl';
export type { ErrorCode, Issue, IssueCode } from './errors';
export {
  ERROR_CODES,
  errorCodes,
  ISSUE_CODES,
  isErrorCode,
  statusOf,
} from './errors';
export { HEADER_TOKEN, isForbiddenHeader } from './http';
export type { ImportedOperation, OpenApiImport, OpenApiImportOptions } from './openapi';
export { importOpenApi } from './openapi';
export type { RenderedRequest, RenderIdentity, RenderResult } from './render';
export { renderCompiled, renderRequest } from './render';
export type { PathStep, ResponseShaper, ResponseShaping } from './response';
export {
  compileResponseShaping,
  cutChars,
  parseResponsePath,
  RESPONSE_LIMITS,
  responseShapingSchema,
  shapeResponseBody,
} from './response';
export type { PlaceholderRef } from './slots';
export type { ParsedTemplate, TemplatePiece, TemplateSyntaxError } from './template';
export { parseTemplate } from './template';
export type {
  AnthropicTool,
  AnyToolDefinition,
  McpTool,
  McpToolAnnotations,
  OpenAIChatTool,
  OpenAIResponsesTool,
  ToolDefinitionByFormat,
  ToolFormat,
} from './tool';
export { CONFIRMATION_NOTE, isToolFormat, PHONE_PATTERN, TOOL_FORMATS, toToolDefinition } from './tool';
export { toolRuleViolations } from './tool-rules';
export type { JsonSchema, JsonSchemaObject } from './tool-schema';
export {
  ANTHROPIC_STRING_FORMATS,
  isSimplePattern,
  OPENAI_STRING_FORMATS,
  PROVIDER_TOOL_NAME,
  toAnthropicSchema,
  toOpenAIStrictSchema,
} from './tool-schema';
export type { PlaceholderUsage } from './usages';
export { findPlaceholderUsages, identityFieldsUsed, usesIdentity } from './usages';
export type { ValidateResult } from './validate';
export { compileAction, validateAction } from './validate';
export type { ValueCheck, ValueSpec } from './values';
export { checkValue } from './values';
