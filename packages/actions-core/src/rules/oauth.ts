import type { OAuthClientCredentialsAuth } from '../action';
import type { Issue } from '../errors';
import { issue } from '../issue';
import { analyzeUrl } from './url';

/**
 * `VSCHAR` of RFC 6749 Appendix A: what a client id may hold (and what we accept in an audience,
 * which servers such as Auth0 read as an opaque string, usually a URL).
 */
const VSCHAR = /^[\x20-\x7e]+$/;
/** `scope-token` of RFC 6749 §3.3: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The rules of an OAuth 2.0 client credentials auth. The token endpoint receives the client
 * secret, so it is a destination like the action's URL: the same URL rules hold (https, port 443,
 * no userinfo, no fragment), and it is fixed: no placeholder anywhere, since nothing the agent
 * supplies may choose where the secret goes.
 */
export function analyzeOAuth(auth: OAuthClientCredentialsAuth): Issue[] {
  const issues: Issue[] = [];
  const tokenUrlPath = ['auth', 'tokenUrl'];
  if (auth.tokenUrl.includes('{{') || auth.tokenUrl.includes('}}')) {
    issues.push(
      issue(
        'url_placeholder_position',
        tokenUrlPath,
        'The token URL is fixed: it cannot contain placeholders.',
      ),
    );
  } else {
    for (const found of analyzeUrl(auth.tokenUrl).issues) {
      issues.push({
        ...found,
        path: tokenUrlPath,
        message: found.message.replace(/^The URL/, 'The token URL'),
      });
    }
  }
  if (auth.clientId.trim() === '') {
    issues.push(
      issue('oauth_client_id_invalid', ['auth', 'clientId'], 'Enter the client id your API issued.'),
    );
  } else if (!VSCHAR.test(auth.clientId)) {
    issues.push(
      issue(
        'oauth_client_id_invalid',
        ['auth', 'clientId'],
        'A client id can only contain visible ASCII characters and spaces (no line breaks or accented letters).',
      ),
    );
  }
  if (auth.scope !== undefined && auth.scope !== '') {
    if (!auth.scope.split(' ').every((token) => SCOPE_TOKEN.test(token))) {
      issues.push(
        issue(
          'oauth_scope_invalid',
          ['auth', 'scope'],
          'Write the scope as names separated by single spaces, like “orders:read tickets:write” (no quotes or backslashes).',
        ),
      );
    }
  }
  if (auth.audience !== undefined && auth.audience !== '' && !VSCHAR.test(auth.audience)) {
    issues.push(
      issue(
        'oauth_audience_invalid',
        ['auth', 'audience'],
        'An audience can only contain visible ASCII characters, like https://api.example.com.',
      ),
    );
  }
  return issues;
}
