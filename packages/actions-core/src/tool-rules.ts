import type { ToolFormat } from './tool';
import { ANTHROPIC_STRING_FORMATS, OPENAI_STRING_FORMATS } from './tool-schema';

/**
 * The providers' published rules for a tool definition in strict mode, as a checker: every
 * violation of a definition, each with the JSON path where it is. Written from the rules, not from
 * our converters (tool-schema.ts), so a test that runs a definition through both can catch a
 * converter that breaks a rule. A runtime can also run it before it hands tools to a model API.
 *
 * OpenAI (Chat Completions and Responses, `strict: true`): every object `additionalProperties:
 * false` and every property in `required`; string formats only date-time, time, date, duration,
 * email, hostname, ipv4, ipv6, uuid; keywords only from its subset. Anthropic (`strict: true`):
 * every object `additionalProperties: false`; no minLength/maxLength/minimum/maximum (nor the other
 * numeric bounds); simple patterns only (no lookaround, backreferences or `\b`). Both: the name
 * matches `^[a-zA-Z0-9_-]{1,64}$`. MCP: a name of 1–128 of `[A-Za-z0-9_.-]`, an object input
 * schema, and both `readOnlyHint` and `destructiveHint` as booleans.
 */

const OPENAI_KEYWORDS = new Set([
  'type',
  'description',
  'title',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  '$ref',
  '$defs',
]);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const ANTHROPIC_FORBIDDEN = [
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
];
/** An unescaped `\b`, `\B`, `\1`–`\9` or `\k<…>`, or a lookaround group. */
const NOT_SIMPLE_PATTERN = /(?:^|[^\\])(?:\\\\)*\\[bB1-9k]|\(\?<?[=!]/;
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MCP_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(schema: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (!isNode(schema)) return;
  visit(schema, path);
  if (isNode(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties))
      walk(child, `${path}.properties.${key}`, visit);
  }
  if (schema.items !== undefined) walk(schema.items, `${path}.items`, visit);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const [i, member] of members.entries()) walk(member, `${path}.${key}[${i}]`, visit);
  }
}

function isObjectNode(node: Node): boolean {
  return (
    node.type === 'object' ||
    (Array.isArray(node.type) && node.type.includes('object')) ||
    isNode(node.properties)
  );
}

function typesOf(node: Node): unknown[] {
  return Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
}

function openaiViolations(schema: unknown, path: string): string[] {
  const out: string[] = [];
  if (!isNode(schema) || schema.type !== 'object') out.push(`${path}: the root must be an object schema`);
  walk(schema, path, (node, at) => {
    for (const key of Object.keys(node)) {
      if (!OPENAI_KEYWORDS.has(key)) out.push(`${at}: keyword ${key} is not supported in strict mode`);
    }
    for (const type of typesOf(node)) {
      if (typeof type !== 'string' || !JSON_TYPES.has(type)) out.push(`${at}: unknown type ${String(type)}`);
    }
    if (isObjectNode(node)) {
      if (node.additionalProperties !== false) out.push(`${at}: additionalProperties must be false`);
      const keys = isNode(node.properties) ? Object.keys(node.properties) : [];
      const required = Array.isArray(node.required) ? node.required : [];
      for (const key of keys) {
        if (!required.includes(key)) out.push(`${at}: property ${key} must be in required`);
      }
    }
    if (node.format !== undefined && !(OPENAI_STRING_FORMATS as readonly unknown[]).includes(node.format)) {
      out.push(`${at}: format ${String(node.format)} is not supported`);
    }
    if (Array.isArray(node.enum) && node.enum.includes(null) && !typesOf(node).includes('null')) {
      out.push(`${at}: an enum with null needs the type null`);
    }
  });
  return out;
}

function anthropicViolations(schema: unknown, path: string): string[] {
  const out: string[] = [];
  if (!isNode(schema) || schema.type !== 'object') out.push(`${path}: the root must be an object schema`);
  walk(schema, path, (node, at) => {
    if (isObjectNode(node) && node.additionalProperties !== false) {
      out.push(`${at}: additionalProperties must be false`);
    }
    for (const key of ANTHROPIC_FORBIDDEN) {
      if (key in node) out.push(`${at}: ${key} is not supported`);
    }
    if (typeof node.pattern === 'string' && NOT_SIMPLE_PATTERN.test(node.pattern)) {
      out.push(`${at}: pattern ${node.pattern} uses lookaround, a backreference or \\b`);
    }
    if (
      node.format !== undefined &&
      !(ANTHROPIC_STRING_FORMATS as readonly unknown[]).includes(node.format)
    ) {
      out.push(`${at}: format ${String(node.format)} is not supported`);
    }
  });
  return out;
}

function nameViolations(name: unknown, pattern: RegExp): string[] {
  return typeof name === 'string' && pattern.test(name)
    ? []
    : [`name ${String(name)} does not match ${pattern}`];
}

/** Every rule `definition` breaks for `format` (empty when it is acceptable). */
export function toolRuleViolations(definition: unknown, format: ToolFormat): string[] {
  if (!isNode(definition)) return ['the definition must be an object'];
  switch (format) {
    case 'json-schema': {
      const out: string[] = [];
      if (typeof definition.name !== 'string' || definition.name === '')
        out.push('name must be a non-empty string');
      if (typeof definition.description !== 'string') out.push('description must be a string');
      const parameters = definition.parameters;
      if (!isNode(parameters) || parameters.type !== 'object' || parameters.additionalProperties !== false) {
        out.push('parameters must be a closed object schema');
      }
      return out;
    }
    case 'openai': {
      const fn = definition.function;
      if (definition.type !== 'function' || !isNode(fn))
        return ['a Chat Completions tool is { type: "function", function }'];
      return [
        ...nameViolations(fn.name, NAME),
        ...(fn.strict === true ? [] : ['function.strict must be true']),
        ...(typeof fn.description === 'string' ? [] : ['function.description must be a string']),
        ...openaiViolations(fn.parameters, 'function.parameters'),
      ];
    }
    case 'openai-responses':
      if (definition.type !== 'function' || 'function' in definition) {
        return ['a Responses tool is a flat { type: "function", name, parameters }'];
      }
      return [
        ...nameViolations(definition.name, NAME),
        ...(definition.strict === true ? [] : ['strict must be true']),
        ...openaiViolations(definition.parameters, 'parameters'),
      ];
    case 'anthropic':
      return [
        ...nameViolations(definition.name, NAME),
        ...(definition.strict === true ? [] : ['strict must be true']),
        ...('parameters' in definition ? ['Anthropic takes input_schema, not parameters'] : []),
        ...anthropicViolations(definition.input_schema, 'input_schema'),
      ];
    case 'mcp': {
      const out = nameViolations(definition.name, MCP_NAME);
      const schema = definition.inputSchema;
      if (!isNode(schema) || schema.type !== 'object') out.push('inputSchema must be an object schema');
      const annotations = definition.annotations;
      if (!isNode(annotations)) out.push('annotations are required');
      else {
        for (const hint of ['readOnlyHint', 'destructiveHint']) {
          if (typeof annotations[hint] !== 'boolean') out.push(`annotations.${hint} must be a boolean`);
        }
      }
      return out;
    }
  }
}
