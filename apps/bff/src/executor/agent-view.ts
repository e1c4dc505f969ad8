import { type ResponseShaper, shapeResponseBody } from '@aihio/actions-core';
import { cutText } from './execute';
import { redactSecret } from './redact';

/**
 * What the agent receives of a response body, in this order: the action's own credential redacted
 * (an echoing endpoint must not hand it to the model), the action's response shaping (`pick`,
 * `omit`, `maxChars`) applied, then the model-ready cut to the budget in bytes. The agent invoke
 * (and everything built on it) and the test panel's "what the agent receives" both use this, so
 * the owner sees exactly what the model will.
 *
 * Without shaping this is the plain redact-and-cut of the hot path: no parse, no copy.
 */
export function agentView(input: {
  body: string;
  /** The upstream body was cut at the egress response cap. */
  truncated: boolean;
  credential: string | null;
  /** More secrets the call carried (OAuth access tokens), redacted like the credential. */
  alsoRedact?: readonly string[];
  shaper: ResponseShaper | null;
  /** The model-ready budget in UTF-8 bytes. */
  budget: number;
}): { body: string; truncated: boolean } {
  const { credential, shaper } = input;
  const secrets = input.alsoRedact?.length
    ? [...(credential === null ? [] : [credential]), ...input.alsoRedact]
    : credential === null
      ? []
      : [credential];
  let text = input.body;
  for (const secret of secrets) text = redactSecret(text, secret, input.truncated);
  let shapedCut = false;
  if (shaper) {
    const shaped = shapeResponseBody(shaper, text);
    text = shaped.body;
    // Parsing decodes escapes (`\u0073ecret`) that the text redaction could not see: redact again.
    if (shaped.shaped) for (const secret of secrets) text = redactSecret(text, secret, false);
    shapedCut = shaped.cut;
  }
  const { text: body, cut } = cutText(text, input.budget);
  return { body, truncated: input.truncated || shapedCut || cut };
}
