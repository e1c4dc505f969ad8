import type { ActionDefinition, HttpMethod, IdentityField } from './action';
import { identityFieldsUsed } from './usages';
import { valueAsText } from './values';

/**
 * What the visitor is asked to confirm before a call with side effects runs: where it goes and
 * the values it sends, in plain language. Never a secret: the credential and the template's own
 * header values are not part of it; verified identity fields are named, not shown (the visitor
 * knows their own details, and the runtime that relays the summary need not learn them).
 */
export interface ConfirmationSummary {
  /** One or two sentences for the visitor. */
  text: string;
  /** The action's identifier and its visitor-facing label (null when it has none). */
  action: string;
  label: string | null;
  method: HttpMethod;
  /** The host the call goes to (fixed by the action: a value can never change it). */
  host: string;
  /** The values sent, by parameter, as text. */
  values: { name: string; label: string; value: string }[];
  /** Verified visitor details the call sends. */
  identityFields: IdentityField[];
}

const IDENTITY_WORDS: Record<IdentityField, string> = {
  user_id: 'your user id',
  email: 'your email address',
  name: 'your name',
  phone: 'your phone number',
};

/** The URL's host; placeholders are only ever in the path and query, so any stand-in works. */
function hostOf(url: string): string {
  try {
    return new URL(url.replace(/\{\{[^}]*\}\}/g, 'x')).host;
  } catch {
    return url;
  }
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The summary of calling `action` with `values` (the model's arguments; others are ignored). */
export function summarizeCall(
  action: ActionDefinition,
  values: Record<string, unknown>,
): ConfirmationSummary {
  const shown: ConfirmationSummary['values'] = [];
  for (const parameter of action.parameters) {
    const raw = Object.hasOwn(values, parameter.name) ? values[parameter.name] : undefined;
    if (raw === undefined || raw === null) continue;
    const text = valueAsText(raw);
    if (!text.ok || text.value.trim() === '') continue;
    shown.push({ name: parameter.name, label: parameter.label.trim(), value: text.value });
  }
  const identityFields = identityFieldsUsed(action);
  const host = hostOf(action.url);
  const label = action.visitorLabel?.trim() || null;
  const sent = [
    ...shown.map((v) => `${v.label} “${v.value}”`),
    ...identityFields.map((field) => IDENTITY_WORDS[field]),
  ];
  const what = sent.length > 0 ? `sends ${joinWords(sent)} to ${host}` : `calls ${host}`;
  const heading = label ?? action.description.trim().replace(/[.!?]\s*$/, '');
  return {
    text: `${heading}: this ${what}.`,
    action: action.identifier,
    label,
    method: action.method,
    host,
    values: shown,
    identityFields,
  };
}
