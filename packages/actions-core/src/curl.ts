import type { ActionHeader, HttpMethod } from './action';

export interface CurlImport {
  method: HttpMethod;
  url: string;
  headers: ActionHeader[];
  body: string | null;
  /** Set when the command carried a bearer token or a recognisable API-key header (the value is not kept in headers). */
  auth:
    | { type: 'none' }
    | { type: 'bearer'; secret: string }
    | { type: 'api_key'; headerName: string; secret: string };
  /** Things the import could not carry over (cookies, --insecure, other hosts' options), to tell the owner. */
  warnings: string[];
}

export type CurlParseResult = { ok: true; value: CurlImport } | { ok: false; errors: { message: string }[] };

export function parseCurl(_command: string): CurlParseResult {
  throw new Error('parseCurl: not implemented yet');
}
