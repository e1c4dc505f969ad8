import type { ActionDefinition } from './action';
import type { ToolDefinition } from './api';

/** The action as a tool for model APIs: name, description, JSON Schema of the parameters. */
export function toToolDefinition(_action: ActionDefinition): ToolDefinition {
  throw new Error('toToolDefinition: not implemented yet');
}
