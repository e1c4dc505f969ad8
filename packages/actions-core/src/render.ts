import type { ActionDefinition, HttpMethod, IdentityField } from './action';
import type { Issue } from './errors';

/**
 * Who the visitor is, as the BFF verified it. Only a signed JWT fills `{{identity.*}}`; with an
 * HMAC user hash (verified for display) or none, rendering an identity reference fails closed.
 */
export type RenderIdentity =
  | { method: 'jwt'; claims: Partial<Record<IdentityField, string>> }
  | { method: 'hmac'; userId: string };

export interface RenderedRequest {
  method: HttpMethod;
  url: string;
  /** Header names as the template has them (case kept); values rendered. */
  headers: Record<string, string>;
  body: string | null;
}

export type RenderResult = { ok: true; request: RenderedRequest } | { ok: false; errors: Issue[] };

export function renderRequest(
  _action: ActionDefinition,
  _values: Record<string, unknown>,
  _options: { identity?: RenderIdentity | null } = {},
): RenderResult {
  throw new Error('renderRequest: not implemented yet');
}
