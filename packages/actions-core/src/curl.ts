import { type ActionHeader, HTTP_METHODS, type HttpMethod } from './action';
import { FORM_MEDIA_TYPE, mediaType } from './http';
import { splitShellWords } from './shell-words';

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

/** Header names that carry an API key in common APIs (lowercase). */
export const API_KEY_HEADERS: ReadonlySet<string> = new Set([
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-api-token',
  'api-token',
  'x-auth-token',
  'x-access-token',
  'x-shopify-access-token',
  'private-token',
]);

/** Options that take a value, by every spelling, mapped to one name. */
const VALUE_OPTIONS: Record<string, string> = {
  '-X': 'request',
  '--request': 'request',
  '-H': 'header',
  '--header': 'header',
  '-d': 'data',
  '--data': 'data',
  '--data-ascii': 'data',
  '--data-raw': 'data-raw',
  '--data-binary': 'data',
  '--data-urlencode': 'data-urlencode',
  '--json': 'json',
  '-u': 'user',
  '--user': 'user',
  '--url': 'url',
  '-A': 'user-agent',
  '--user-agent': 'user-agent',
  '-e': 'referer',
  '--referer': 'referer',
  '-b': 'cookie',
  '--cookie': 'cookie',
  '-o': 'ignored',
  '--output': 'ignored',
  '-m': 'ignored',
  '--max-time': 'ignored',
  '--connect-timeout': 'ignored',
  '--retry': 'ignored',
  '-w': 'ignored',
  '--write-out': 'ignored',
  '-F': 'form',
  '--form': 'form',
  '--oauth2-bearer': 'oauth2-bearer',
  '-c': 'ignored',
  '--cookie-jar': 'ignored',
};

/** Options without a value. */
const FLAGS: Record<string, string> = {
  '-G': 'get',
  '--get': 'get',
  '-k': 'insecure',
  '--insecure': 'insecure',
  '-L': 'location',
  '--location': 'location',
  '--compressed': 'ignored',
  '-s': 'ignored',
  '--silent': 'ignored',
  '-S': 'ignored',
  '--show-error': 'ignored',
  '-v': 'ignored',
  '--verbose': 'ignored',
  '-i': 'ignored',
  '--include': 'ignored',
  '-f': 'ignored',
  '--fail': 'ignored',
  '--fail-with-body': 'ignored',
  '-g': 'ignored',
  '--globoff': 'ignored',
  '-N': 'ignored',
  '--no-buffer': 'ignored',
  '-I': 'head',
  '--head': 'head',
};

/** `data` pieces: curl joins several -d with `&`. */
interface DataPart {
  text: string;
}

function encodeDataUrlencode(arg: string, warnings: string[]): string {
  const eq = arg.indexOf('=');
  const at = arg.indexOf('@');
  if (at !== -1 && (eq === -1 || at < eq)) {
    warnings.push(`--data-urlencode ${arg}: reading a file is not possible here; add the body by hand.`);
    return '';
  }
  if (eq === -1) return encodeURIComponent(arg);
  const name = arg.slice(0, eq);
  const value = encodeURIComponent(arg.slice(eq + 1));
  return name === '' ? value : `${name}=${value}`;
}

/**
 * Read a `curl` command (as API documentation shows them, multi-line with backslashes) into the
 * parts of an action. A bearer token or a known API-key header becomes the action's authentication
 * (the secret is returned for the owner to store, never kept in a header). Options that cannot be
 * carried over are listed as warnings.
 */
export function parseCurl(command: string): CurlParseResult {
  const split = splitShellWords(command.trim());
  if (!split.ok) return { ok: false, errors: [{ message: split.message }] };
  const words = [...split.words];
  if (words[0] === '$') words.shift();
  const program = words.shift();
  if (!program || !/(^|\/)curl(\.exe)?$/.test(program)) {
    return { ok: false, errors: [{ message: 'Paste a command that starts with curl.' }] };
  }

  const warnings: string[] = [];
  const errors: { message: string }[] = [];
  let method: string | null = null;
  let url: string | null = null;
  const headers: ActionHeader[] = [];
  const data: DataPart[] = [];
  let json = false;
  let get = false;
  let user: string | null = null;
  let bearer: string | null = null;

  const take = (name: string, value: string) => {
    switch (name) {
      case 'request':
        method = value.toUpperCase();
        break;
      case 'header': {
        const colon = value.indexOf(':');
        if (colon === -1) {
          // `-H 'X-Empty;'` sends an empty header in curl
          if (value.endsWith(';')) headers.push({ name: value.slice(0, -1).trim(), value: '' });
          else warnings.push(`Header “${value}” has no colon and was skipped.`);
          break;
        }
        const headerValue = value.slice(colon + 1).trim();
        // curl removes a header given with an empty value
        if (headerValue !== '') headers.push({ name: value.slice(0, colon).trim(), value: headerValue });
        break;
      }
      case 'data':
        if (value.startsWith('@')) {
          warnings.push(`${value}: reading a file is not possible here; add the body by hand.`);
        } else {
          data.push({ text: value });
        }
        break;
      case 'data-raw':
        data.push({ text: value });
        break;
      case 'data-urlencode':
        data.push({ text: encodeDataUrlencode(value, warnings) });
        break;
      case 'json':
        json = true;
        data.push({ text: value });
        break;
      case 'user':
        user = value;
        break;
      case 'url':
        if (url === null) url = value;
        else warnings.push(`Only one URL is used; ${value} was ignored.`);
        break;
      case 'user-agent':
        headers.push({ name: 'User-Agent', value });
        break;
      case 'referer':
        headers.push({ name: 'Referer', value });
        break;
      case 'cookie':
        warnings.push('Cookies (-b) are not imported: actions do not send cookies from a command line.');
        break;
      case 'form':
        warnings.push('Multipart forms (-F) are not supported: use a JSON or form-urlencoded body.');
        break;
      case 'oauth2-bearer':
        bearer = value;
        break;
    }
  };

  const flag = (name: string) => {
    switch (name) {
      case 'get':
        get = true;
        break;
      case 'insecure':
        warnings.push('--insecure is ignored: TLS certificates are always verified.');
        break;
      case 'location':
        warnings.push('-L is ignored: redirects are never followed; use the final URL.');
        break;
      case 'head':
        errors.push({ message: 'HEAD requests (-I) are not supported: use GET.' });
        break;
    }
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const option = eq === -1 ? word : word.slice(0, eq);
      const valueName = VALUE_OPTIONS[option];
      if (valueName) {
        const value = eq === -1 ? words[++i] : word.slice(eq + 1);
        if (value === undefined) errors.push({ message: `${option} needs a value.` });
        else take(valueName, value);
      } else if (FLAGS[option]) {
        flag(FLAGS[option]);
      } else {
        warnings.push(`${option} is not supported and was ignored.`);
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      // Short options may be combined (-sSL) and take their value attached (-XPOST) or next.
      for (let j = 1; j < word.length; j++) {
        const option = `-${word[j]}`;
        const valueName = VALUE_OPTIONS[option];
        if (valueName) {
          const attached = word.slice(j + 1);
          const value = attached !== '' ? attached : words[++i];
          if (value === undefined) errors.push({ message: `${option} needs a value.` });
          else take(valueName, value);
          break;
        }
        if (FLAGS[option]) flag(FLAGS[option]);
        else warnings.push(`${option} is not supported and was ignored.`);
      }
      continue;
    }
    take('url', word);
  }

  if (url === null) errors.push({ message: 'The command has no URL.' });

  let body: string | null = data.length > 0 ? data.map((d) => d.text).join('&') : null;
  let finalUrl = url ?? '';
  if (get && body !== null) {
    finalUrl += (finalUrl.includes('?') ? '&' : '?') + body;
    body = null;
  }
  const resolvedMethod = method ?? (body !== null ? 'POST' : 'GET');
  if (!(HTTP_METHODS as readonly string[]).includes(resolvedMethod)) {
    errors.push({ message: `${resolvedMethod} is not supported: use ${HTTP_METHODS.join(', ')}.` });
  }
  if (errors.length > 0) return { ok: false, errors };

  const hasHeader = (name: string) => headers.some((h) => h.name.toLowerCase() === name);
  if (json) {
    if (!hasHeader('content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
    if (!hasHeader('accept')) headers.push({ name: 'Accept', value: 'application/json' });
  } else if (body !== null && !hasHeader('content-type') && !looksLikeJson(body)) {
    // curl sends -d data as a form; the action then needs the header to treat the body as one.
    headers.push({ name: 'Content-Type', value: FORM_MEDIA_TYPE });
  }
  const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type');
  if (body !== null && contentType && mediaType(contentType.value) === FORM_MEDIA_TYPE) {
    // Servers read a raw space in form data as `+` does; the action's form body spells it `+`.
    body = body.replace(/ /g, '+');
  }

  // Authentication: the first credential found becomes the action's; the rest stay as headers.
  let auth: CurlImport['auth'] = { type: 'none' };
  if (bearer !== null) auth = { type: 'bearer', secret: bearer };
  const kept: ActionHeader[] = [];
  for (const header of headers) {
    const lower = header.name.toLowerCase();
    if (auth.type === 'none' && lower === 'authorization') {
      const match = /^Bearer\s+(.+)$/i.exec(header.value);
      auth = match?.[1]
        ? { type: 'bearer', secret: match[1].trim() }
        : { type: 'api_key', headerName: header.name, secret: header.value };
      continue;
    }
    if (auth.type === 'none' && API_KEY_HEADERS.has(lower)) {
      auth = { type: 'api_key', headerName: header.name, secret: header.value };
      continue;
    }
    if (lower === 'authorization' || API_KEY_HEADERS.has(lower)) {
      warnings.push(
        `${header.name} looks like a credential but only one can be stored: it was kept as a plain header. Move it out of the headers if it is a secret.`,
      );
    }
    kept.push(header);
  }
  if (user !== null) {
    if (auth.type === 'none') {
      auth = { type: 'api_key', headerName: 'Authorization', secret: `Basic ${base64(user)}` };
      warnings.push(
        '-u (basic authentication) was converted to an API key sent in the Authorization header.',
      );
    } else {
      warnings.push('-u (basic authentication) was ignored: the action already has a credential.');
    }
  }

  return {
    ok: true,
    value: { method: resolvedMethod as HttpMethod, url: finalUrl, headers: kept, body, auth, warnings },
  };
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Base64 of the UTF-8 bytes of `text`, without Node's Buffer (core runs in browsers too). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
