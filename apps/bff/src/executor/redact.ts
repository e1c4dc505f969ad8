/**
 * Keeping an action's credential out of what the agent gets back. An endpoint that echoes its
 * request (a debugging route, an error page quoting the headers) would otherwise hand the stored
 * credential to the model, and a visitor can ask the model to repeat it: the credential reaches
 * the upstream it belongs to and nobody else. The test panel is different: there the owner typed
 * the credential for that one call, so an echo shows them their own text.
 */

export const REDACTED = '[redacted]';

/** The spellings of a secret an echoing endpoint produces: as sent, inside a JSON string, in a URL. */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, json, json.replaceAll('/', '\\/'), encodeURIComponent(secret)]);
  // Longest first, so a form containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * `body` with every spelling of `secret` replaced by `[redacted]`. When the body was cut
 * (`truncated`), a start of the secret left at the very end is dropped too.
 */
export function redactSecret(body: string, secret: string, truncated: boolean): string {
  if (secret === '') return body;
  const forms = spellings(secret);
  let out = body;
  for (const form of forms) out = out.replaceAll(form, REDACTED);
  if (!truncated) return out;
  let cut = 0;
  for (const form of forms) {
    for (let k = Math.min(form.length - 1, out.length); k > cut; k--) {
      if (out.endsWith(form.slice(0, k))) {
        cut = k;
        break;
      }
    }
  }
  return cut > 0 ? out.slice(0, -cut) : out;
}
