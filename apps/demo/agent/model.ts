import type { ToolDefinition } from '@aihio/actions-core';

/**
 * A fake language model for the demo's agent loop: given the visitor's message and the chatbot's
 * tools, it deterministically picks one tool and fills its arguments, the way a real model reads
 * the tool's name, description and parameter hints. Good enough to show the whole loop without a
 * model API; nothing in the product depends on it.
 */

export interface ToolCall {
  name: string;
  arguments: Record<string, string>;
}

const STOP_WORDS = new Set(
  'a an and are as at be by can for from has have how i if in is it its me my of on or our so such the this to up use we what when where which who why with you your'.split(
    ' ',
  ),
);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? [])
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word))
    .map((word) => word.replace(/(ing|ed|es|s)$/, ''));
}

const EMAIL = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}/i;
const PHONE = /\+?\d[\d ()./-]{5,30}\d/;

/** `such as ORD-123` in a hint becomes a pattern for values shaped like it: /\b[A-Z]{3}-\d+\b/i. */
function exampleShape(description: string): RegExp | null {
  const example = /(?:such as|e\.g\.|for example|like)\s+([A-Za-z0-9][A-Za-z0-9_-]*\d[A-Za-z0-9_-]*)/i.exec(
    description,
  )?.[1];
  if (!example) return null;
  const shape = example.replace(/[A-Za-z]+|\d+|[_-]/g, (run) => {
    if (/\d/.test(run)) return '\\d+';
    if (/[A-Za-z]/.test(run)) return `[A-Za-z]{${run.length}}`;
    return `\\${run}`;
  });
  return new RegExp(`\\b${shape}\\b`);
}

function firstSentence(message: string): string {
  const sentence = message.split(/(?<=[.!?])\s/)[0] ?? message;
  return sentence.length > 80 ? `${sentence.slice(0, 77)}…` : sentence;
}

/** The value of one parameter, read from the message, or undefined when the message lacks it. */
export function extractArgument(
  name: string,
  schema: Record<string, unknown>,
  message: string,
): string | undefined {
  const description = typeof schema.description === 'string' ? schema.description : '';
  if (schema.format === 'email' || /email/.test(name)) return EMAIL.exec(message)?.[0];
  if (typeof schema.pattern === 'string' || /phone/.test(name)) return PHONE.exec(message)?.[0]?.trim();
  const shape = exampleShape(description);
  if (shape) return shape.exec(message)?.[0]?.toUpperCase();
  if (/(number|_id|^id)$/.test(name)) return /\b[A-Za-z]*-?\d[\w-]*\b/.exec(message)?.[0];
  if (/subject|title|summary/.test(name)) return firstSentence(message);
  return message.trim() || undefined;
}

/** How well a tool fits the message: shared words, the tool's own name counting three times. */
function score(tool: ToolDefinition, message: string): number {
  const said = new Set(words(message));
  const nameWords = words(tool.name.replace(/_/g, ' '));
  const descriptionWords = new Set(words(tool.description));
  let total = 0;
  for (const word of nameWords) if (said.has(word)) total += 3;
  for (const word of descriptionWords) if (said.has(word)) total += 1;
  return total;
}

/**
 * The tool to call and its arguments, or null when no tool fits or a required argument cannot be
 * found in the message (a real model would then ask the visitor; never call with missing data).
 */
export function chooseToolCall(message: string, tools: ToolDefinition[]): ToolCall | null {
  const ranked = tools
    .map((tool, index) => ({ tool, index, score: score(tool, message) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  for (const { tool } of ranked) {
    const args: Record<string, string> = {};
    let complete = true;
    for (const [name, schema] of Object.entries(tool.parameters.properties)) {
      const value = extractArgument(name, schema, message);
      if (value !== undefined) args[name] = value;
      else if (tool.parameters.required.includes(name)) complete = false;
    }
    if (complete) return { name: tool.name, arguments: args };
  }
  return null;
}
