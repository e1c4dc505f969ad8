import { type ActionDefinition, type ActionParameter, LIMITS, needsConfirmation } from './action';
import type { ToolDefinition } from './api';
import {
  type JsonSchema,
  type JsonSchemaObject,
  toAnthropicSchema,
  toOpenAIStrictSchema,
} from './tool-schema';

/** Lenient on purpose: the agent may format a number as people do; rendering normalises it to E.164. */
export const PHONE_PATTERN = '^\\+?[0-9 ()./-]{6,32}$';

/**
 * The shapes model APIs take a tool in:
 * - `json-schema`: `{ name, description, parameters }` (the agent API's `GET …/tools`);
 * - `openai`: Chat Completions, `{ type: 'function', function: { name, description, parameters, strict: true } }`;
 * - `openai-responses`: the Responses API's flat `{ type: 'function', name, description, parameters, strict: true }`;
 * - `anthropic`: Messages API, `{ name, description, input_schema, strict: true }`;
 * - `mcp`: an MCP `Tool` (`inputSchema`, `title`, `annotations`).
 * The strict formats follow their provider's schema subset (see tool-schema.ts).
 */
export const TOOL_FORMATS = ['json-schema', 'openai', 'openai-responses', 'anthropic', 'mcp'] as const;
export type ToolFormat = (typeof TOOL_FORMATS)[number];

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchemaObject; strict: true };
}
export interface OpenAIResponsesTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchemaObject;
  strict: true;
}
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchemaObject;
  strict: true;
}
/** MCP's behaviour hints; both read-only and destructive are always given, as booleans. */
export interface McpToolAnnotations {
  title?: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint?: boolean;
  openWorldHint: true;
}
export interface McpTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchemaObject;
  annotations: McpToolAnnotations;
}

export interface ToolDefinitionByFormat {
  'json-schema': ToolDefinition;
  openai: OpenAIChatTool;
  'openai-responses': OpenAIResponsesTool;
  anthropic: AnthropicTool;
  mcp: McpTool;
}
export type AnyToolDefinition = ToolDefinitionByFormat[ToolFormat];

export function isToolFormat(value: unknown): value is ToolFormat {
  return typeof value === 'string' && (TOOL_FORMATS as readonly string[]).includes(value);
}

function parameterSchema(parameter: ActionParameter): JsonSchema {
  const hint = parameter.hint?.trim();
  const description = hint ? `${parameter.label.trim()}: ${hint}` : parameter.label.trim();
  switch (parameter.type) {
    case 'email':
      return { type: 'string', format: 'email', maxLength: LIMITS.value, description };
    case 'phone':
      return {
        type: 'string',
        pattern: PHONE_PATTERN,
        maxLength: LIMITS.value,
        description: `${description} (phone number in international format, e.g. +358401234567)`,
      };
    case 'text':
      return { type: 'string', maxLength: LIMITS.value, description };
    case 'number':
      return { type: 'number', description };
    case 'integer':
      // ±2^53: beyond it a JSON number loses digits, and rendering refuses it.
      return { type: 'integer', minimum: -(2 ** 53), maximum: 2 ** 53, description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'enum':
      return { type: 'string', enum: [...(parameter.choices ?? [])], description };
    case 'date':
      return {
        type: 'string',
        format: 'date',
        description: `${description} (calendar date as YYYY-MM-DD)`,
      };
  }
}

/**
 * Said in the description so the model expects the round trip rather than treating the first
 * answer as a failure (the server enforces it either way).
 */
export const CONFIRMATION_NOTE =
  'Each call needs the visitor’s confirmation before it runs: the first call answers confirmation_required with a summary to show the visitor; once they agree, call again with the same arguments and the confirmation token.';

function toolDescription(action: ActionDefinition): string {
  const description = action.description.trim();
  return needsConfirmation(action) ? `${description}\n\n${CONFIRMATION_NOTE}` : description;
}

function jsonSchemaTool(action: ActionDefinition): ToolDefinition {
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of action.parameters) properties[parameter.name] = parameterSchema(parameter);
  return {
    name: action.identifier,
    description: toolDescription(action),
    parameters: {
      type: 'object',
      properties,
      required: action.parameters.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    },
  };
}

/** MCP hints from the method: GET reads; PUT and DELETE are idempotent; DELETE destroys. */
function mcpAnnotations(action: ActionDefinition): McpToolAnnotations {
  const label = action.visitorLabel?.trim();
  const { method } = action;
  return {
    ...(label ? { title: label } : {}),
    readOnlyHint: method === 'GET',
    destructiveHint: method === 'DELETE',
    ...(method === 'GET' || method === 'PUT' || method === 'DELETE' ? { idempotentHint: true } : {}),
    // The endpoint is the owner's own system, outside this server.
    openWorldHint: true,
  };
}

/**
 * The action as a tool for model APIs, in the format asked for (`json-schema` by default).
 * Identity fields are not parameters: the server fills them from the verified visitor. The
 * description says when the visitor confirms a call.
 */
export function toToolDefinition(action: ActionDefinition): ToolDefinition;
export function toToolDefinition<F extends ToolFormat>(
  action: ActionDefinition,
  options: { format: F },
): ToolDefinitionByFormat[F];
export function toToolDefinition(
  action: ActionDefinition,
  options: { format?: ToolFormat } = {},
): AnyToolDefinition {
  const base = jsonSchemaTool(action);
  const parameters = base.parameters as JsonSchemaObject;
  switch (options.format ?? 'json-schema') {
    case 'json-schema':
      return base;
    case 'openai':
      return {
        type: 'function',
        function: {
          name: base.name,
          description: base.description,
          parameters: toOpenAIStrictSchema(parameters),
          strict: true,
        },
      };
    case 'openai-responses':
      return {
        type: 'function',
        name: base.name,
        description: base.description,
        parameters: toOpenAIStrictSchema(parameters),
        strict: true,
      };
    case 'anthropic':
      return {
        name: base.name,
        description: base.description,
        input_schema: toAnthropicSchema(parameters),
        strict: true,
      };
    case 'mcp': {
      const annotations = mcpAnnotations(action);
      return {
        name: base.name,
        ...(annotations.title ? { title: annotations.title } : {}),
        description: base.description,
        inputSchema: parameters,
        annotations,
      };
    }
  }
}
