import {
  API_ROUTES,
  ERROR_CODES,
  isErrorCode,
  openApiFetchRequestSchema,
  openApiFetchResponseSchema,
} from '@aihio/actions-core';
import { Router } from 'express';
import { requireRole, sessionOf } from '../auth/session';
import type { AppDeps } from '../deps';
import { ApiError } from '../http/errors';
import { parseBody, reply } from '../http/validate';
import { loadChatbot, requireActionsPlan } from './scope';
import { withoutResolvedAddresses } from './testing';

/**
 * The import dialog's "from a URL": the BFF fetches the OpenAPI document for the editor, through
 * the same guarded egress as every call (https, port 443, every address checked, no redirects,
 * the response cap), so an import cannot be used to reach an internal address either. The text
 * goes back as it is: the kit runs `importOpenApi` on it (in the browser, the same code).
 * Rate-limited like tests: each fetch is an outbound call.
 */
export function importRoutes(deps: AppDeps): Router {
  const { store, config, egress } = deps;
  const router = Router();

  router.post(API_ROUTES.openApiFetch, requireActionsPlan, requireRole('editor'), async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const { url } = parseBody(openApiFetchRequestSchema, req.body);
    const session = sessionOf(req);
    const { limit, windowMs } = config.testRateLimit;
    // Separate key parts: ids may contain ':', so a joined text would let two users share a window.
    const hit = await store.hitRateLimit(
      { scope: 'import', workspaceId: session.workspace.id, subject: session.userId },
      windowMs,
      limit,
    );
    if (!hit.allowed) {
      const seconds = Math.max(1, Math.ceil(hit.retryAfterMs / 1000));
      throw new ApiError('rate_limited', { headers: { 'Retry-After': String(seconds) } });
    }
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const result = await egress.request(
      {
        method: 'GET',
        url,
        headers: { Accept: 'application/json, application/yaml;q=0.9, text/yaml;q=0.8, */*;q=0.1' },
        body: null,
      },
      { key: chatbot.workspaceId, signal: abort.signal },
    );
    if (!result.ok) {
      const code = isErrorCode(result.code) ? result.code : 'internal_error';
      const error = withoutResolvedAddresses({ code, message: result.message }, url);
      throw new ApiError(code, {
        message: code === 'internal_error' ? ERROR_CODES.internal_error.message : error.message,
      });
    }
    if (result.truncated) {
      throw new ApiError('response_too_large', {
        message: `The document is larger than ${config.egress.maxResponseBytes} bytes: upload the file or paste its text instead.`,
      });
    }
    if (result.status !== 200) {
      throw new ApiError('import_fetch_failed', {
        message:
          result.status >= 300 && result.status < 400
            ? `The server answered ${result.status} (a redirect), and imports do not follow redirects: use the final URL.`
            : `The server answered ${result.status}, not 200 with a document.`,
      });
    }
    reply(res, 200, openApiFetchResponseSchema, { url, text: result.body });
  });

  return router;
}
