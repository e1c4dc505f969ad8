/**
 * JSON Schema rewritten for the model APIs' strict tool modes. Each provider accepts a subset of
 * JSON Schema when `strict: true`; these functions take any schema the action's parameters produce
 * (strings with format, pattern and lengths; numbers with bounds; enums; nested objects and
 * arrays) and return one inside the provider's subset, moving what a provider cannot enforce into
 * the description so the model still reads it. The BFF checks every value again whatever the model
 * sends, so a constraint dropped here is never a constraint dropped.
 */

/** A JSON Schema node, as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** The root of a tool's parameters. */
export interface JsonSchemaObject extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
  additionalProperties: false;
}

/** String formats OpenAI's strict mode accepts. */
export const OPENAI_STRING_FORMATS = [
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
] as const;

/** String formats Anthropic's strict tool use accepts. */
export const ANTHROPIC_STRING_FORMATS = [
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
] as const;

/** Tool names both providers accept. */
export const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const NUMERIC_BOUNDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withNote(schema: JsonSchema, note: string): void {
  const description = typeof schema.description === 'string' ? schema.description.trim() : '';
  schema.description = description ? `${description} (${note})` : note;
}

/**
 * Whether a regular expression uses only what Anthropic's strict mode supports: no lookahead or
 * lookbehind, no backreferences (numbered or named) and no word boundaries.
 */
export function isSimplePattern(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9bBk]/.test(next)) return false;
      i++;
      continue;
    }
    if (char === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') return false;
    }
  }
  return true;
}

function describeBounds(schema: JsonSchema): string | null {
  const parts: string[] = [];
  if (typeof schema.minimum === 'number') parts.push(`at least ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`more than ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') parts.push(`at most ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`less than ${schema.exclusiveMaximum}`);
  if (typeof schema.multipleOf === 'number') parts.push(`a multiple of ${schema.multipleOf}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

type Rewrite = (schema: JsonSchema, context: { optional: boolean }) => JsonSchema;

/** Applies `rewrite` to every subschema: properties, items, anyOf/oneOf/allOf members. */
function mapChildren(schema: JsonSchema, node: Rewrite, strictObjects: 'all-required' | 'keep'): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (isSchema(schema.properties)) {
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const properties: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      if (isSchema(child)) properties[key] = node(child, { optional: !required.includes(key) });
    }
    out.properties = properties;
    out.required = strictObjects === 'all-required' ? Object.keys(properties) : required;
  }
  if (out.type === 'object' || isSchema(out.properties)) {
    out.additionalProperties = false;
    if (!isSchema(out.properties)) out.properties = {};
    if (!Array.isArray(out.required)) out.required = [];
  }
  if (isSchema(schema.items)) out.items = node(schema.items, { optional: false });
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const members = schema[key];
    if (Array.isArray(members)) {
      out[key] = members.filter(isSchema).map((m) => node(m, { optional: false }));
    }
  }
  return out;
}

/** `type: T` becomes `type: [T, "null"]` (and `null` joins an enum): null means "not given". */
function nullable(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (typeof out.type === 'string') out.type = out.type === 'null' ? 'null' : [out.type, 'null'];
  else if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
  } else if (Array.isArray(out.anyOf)) {
    out.anyOf = [...out.anyOf, { type: 'null' }];
  } else {
    const { description, ...rest } = out;
    return {
      anyOf: [rest, { type: 'null' }],
      ...(typeof description === 'string' ? { description } : {}),
    };
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  withNote(out, 'null when not given');
  return out;
}

const openaiNode: Rewrite = (schema, { optional }) => {
  const out = mapChildren(schema, openaiNode, 'all-required');
  // Not in OpenAI's strict subset for strings; the BFF enforces the length.
  delete out.minLength;
  delete out.maxLength;
  if (typeof out.format === 'string' && !(OPENAI_STRING_FORMATS as readonly string[]).includes(out.format)) {
    withNote(out, `format: ${out.format}`);
    delete out.format;
  }
  if (Array.isArray(out.oneOf)) {
    // Strict mode has anyOf, not oneOf; the members of a parameter schema never overlap.
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  return optional ? nullable(out) : out;
};

/**
 * OpenAI strict mode (Chat Completions and Responses): every object closed and every property
 * required, an optional one as `[T, "null"]`; string formats from OPENAI_STRING_FORMATS only.
 */
export function toOpenAIStrictSchema(schema: JsonSchemaObject): JsonSchemaObject {
  return openaiNode(schema, { optional: false }) as JsonSchemaObject;
}

const anthropicNode: Rewrite = (schema) => {
  const out = mapChildren(schema, anthropicNode, 'keep');
  delete out.minLength;
  delete out.maxLength;
  const bounds = describeBounds(out);
  for (const key of NUMERIC_BOUNDS) delete out[key];
  if (bounds) withNote(out, bounds);
  if (typeof out.pattern === 'string' && !isSimplePattern(out.pattern)) delete out.pattern;
  if (
    typeof out.format === 'string' &&
    !(ANTHROPIC_STRING_FORMATS as readonly string[]).includes(out.format)
  ) {
    withNote(out, `format: ${out.format}`);
    delete out.format;
  }
  // Anthropic supports minItems of 0 or 1 only, and no maxItems.
  if (typeof out.minItems === 'number' && out.minItems > 1) out.minItems = 1;
  delete out.maxItems;
  return out;
};

/**
 * Anthropic strict tool use: every object closed; no string lengths or numeric bounds (moved
 * into the description); only simple patterns (no lookaround, backreferences or `\b`).
 */
export function toAnthropicSchema(schema: JsonSchemaObject): JsonSchemaObject {
  return anthropicNode(schema, { optional: false }) as JsonSchemaObject;
}
