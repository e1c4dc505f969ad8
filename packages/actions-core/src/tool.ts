import { type ActionDefinition, type ActionParameter, LIMITS } from './action';
import type { ToolDefinition } from './api';

/** Lenient on purpose: the agent may format a number as people do; rendering normalises it to E.164. */
export const PHONE_PATTERN = '^\\+?[0-9 ()./-]{6,32}$';

function parameterSchema(parameter: ActionParameter): Record<string, unknown> {
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
 * The action as a tool for model APIs: name, description and a JSON Schema object of the parameters.
 * Identity fields are not parameters: the server fills them from the verified visitor.
 */
export function toToolDefinition(action: ActionDefinition): ToolDefinition {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const parameter of action.parameters) properties[parameter.name] = parameterSchema(parameter);
  return {
    name: action.identifier,
    description: action.description.trim(),
    parameters: {
      type: 'object',
      properties,
      required: action.parameters.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    },
  };
}
