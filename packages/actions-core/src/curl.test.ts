import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CurlImport, parseCurl } from './curl';
import { splitShellWords } from './shell-words';

function imported(command: string): CurlImport {
  const result = parseCurl(command);
  if (!result.ok) throw new Error(`expected an import, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('splitShellWords', () => {
  it.each<[string, string[]]>([
    [`a 'b c' "d e"`, ['a', 'b c', 'd e']],
    [`a\\ b`, ['a b']],
    [`"a \\"b\\" \\$x \\n"`, ['a "b" $x \\n']],
    [`'it'"'"'s'`, ["it's"]],
    [`$'a\\nb\\t\\'c\\x41\\u00e9\\101'`, ["a\nb\t'cAéA"]],
    ['a \\\n  b \\\r\n c', ['a', 'b', 'c']],
    [`a # comment\nb`, ['a', 'b']],
    [`a#b`, ['a#b']],
    [`""`, ['']],
  ])('splits %j', (line, words) => {
    expect(splitShellWords(line)).toEqual({ ok: true, words });
  });

  it('reports unclosed quotes', () => {
    expect(splitShellWords(`curl 'abc`).ok).toBe(false);
    expect(splitShellWords(`curl "abc`).ok).toBe(false);
    expect(splitShellWords(`curl $'abc`).ok).toBe(false);
  });
});

describe('parseCurl: API documentation examples', () => {
  it('Stripe, basic auth with a secret key and form data', () => {
    const value = imported(`curl https://api.stripe.com/v1/customers \\
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\
  -d "name=Jenny Rosen" \\
  --data-urlencode email="jenny.rosen@example.com"`);
    expect(value).toEqual({
      method: 'POST',
      url: 'https://api.stripe.com/v1/customers',
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
      body: 'name=Jenny+Rosen&email=jenny.rosen%40example.com',
      auth: {
        type: 'api_key',
        headerName: 'Authorization',
        secret: `Basic ${btoa('sk_test_4eC39HqLyjWDarjtT1zdp7dc:')}`,
      },
      warnings: [expect.stringContaining('-u')],
    });
  });

  it('Stripe, a bearer token and several -d joined with &', () => {
    const value = imported(`curl https://api.stripe.com/v1/charges \\
  -H "Authorization: Bearer sk_test_abc" \\
  -d amount=2000 \\
  -d currency=usd \\
  -d "description=My First Test Charge (created for API docs)"`);
    expect(value.method).toBe('POST');
    expect(value.auth).toEqual({ type: 'bearer', secret: 'sk_test_abc' });
    expect(value.headers).toEqual([{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
    expect(value.body).toBe(
      'amount=2000&currency=usd&description=My+First+Test+Charge+(created+for+API+docs)',
    );
  });

  it('GitHub, -L, a JSON body with the quote-concatenation trick', () => {
    const value = imported(`curl -L \\
  -X POST \\
  -H "Accept: application/vnd.github+json" \\
  -H "Authorization: Bearer <YOUR-TOKEN>" \\
  -H "X-GitHub-Api-Version: 2022-11-28" \\
  https://api.github.com/repos/OWNER/REPO/issues \\
  -d '{"title":"Found a bug","body":"I'"'"'m having a problem with this.","labels":["bug"]}'`);
    expect(value).toEqual({
      method: 'POST',
      url: 'https://api.github.com/repos/OWNER/REPO/issues',
      headers: [
        { name: 'Accept', value: 'application/vnd.github+json' },
        { name: 'X-GitHub-Api-Version', value: '2022-11-28' },
      ],
      body: `{"title":"Found a bug","body":"I'm having a problem with this.","labels":["bug"]}`,
      auth: { type: 'bearer', secret: '<YOUR-TOKEN>' },
      warnings: [expect.stringContaining('redirects are never followed')],
    });
  });

  it('Shopify, an access-token header becomes an API key', () => {
    const value =
      imported(`curl -X GET "https://your-development-store.myshopify.com/admin/api/2024-01/orders/450789469.json" \\
-H "X-Shopify-Access-Token: {access_token}"`);
    expect(value).toEqual({
      method: 'GET',
      url: 'https://your-development-store.myshopify.com/admin/api/2024-01/orders/450789469.json',
      headers: [],
      body: null,
      auth: { type: 'api_key', headerName: 'X-Shopify-Access-Token', secret: '{access_token}' },
      warnings: [],
    });
  });

  it('Zendesk, -u email/token, -v and the method after the data', () => {
    const value = imported(`curl https://{subdomain}.zendesk.com/api/v2/tickets.json \\
  -d '{"ticket": {"subject": "My printer is on fire!", "comment": { "body": "The smoke is very colorful." }}}' \\
  -H "Content-Type: application/json" -v -u {email_address}/token:{api_token} -X POST`);
    expect(value.method).toBe('POST');
    expect(value.headers).toEqual([{ name: 'Content-Type', value: 'application/json' }]);
    expect(JSON.parse(value.body ?? '')).toEqual({
      ticket: { subject: 'My printer is on fire!', comment: { body: 'The smoke is very colorful.' } },
    });
    expect(value.auth).toEqual({
      type: 'api_key',
      headerName: 'Authorization',
      secret: `Basic ${btoa('{email_address}/token:{api_token}')}`,
    });
  });

  it('SendGrid, long options with --url and --data', () => {
    const value = imported(`curl --request POST \\
  --url https://api.sendgrid.com/v3/mail/send \\
  --header 'Authorization: Bearer $SENDGRID_API_KEY' \\
  --header 'Content-Type: application/json' \\
  --data '{"personalizations":[{"to":[{"email":"john@example.com"}]}],"subject":"Hi"}'`);
    expect(value.method).toBe('POST');
    expect(value.url).toBe('https://api.sendgrid.com/v3/mail/send');
    expect(value.auth).toEqual({ type: 'bearer', secret: '$SENDGRID_API_KEY' });
    expect(value.headers).toEqual([{ name: 'Content-Type', value: 'application/json' }]);
  });

  it('Anthropic-style x-api-key with other headers kept', () => {
    const value = imported(`curl https://api.anthropic.com/v1/messages \\
     --header "x-api-key: $ANTHROPIC_API_KEY" \\
     --header "anthropic-version: 2023-06-01" \\
     --header "content-type: application/json" \\
     --data \\
'{"model": "claude", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}'`);
    expect(value.auth).toEqual({ type: 'api_key', headerName: 'x-api-key', secret: '$ANTHROPIC_API_KEY' });
    expect(value.headers.map((h) => h.name)).toEqual(['anthropic-version', 'content-type']);
    expect(value.method).toBe('POST');
  });

  it('--json sets the JSON headers and POST', () => {
    const value = imported(`curl --json '{"name":"x"}' https://api.example.com/v1/items`);
    expect(value).toMatchObject({
      method: 'POST',
      body: '{"name":"x"}',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Accept', value: 'application/json' },
      ],
    });
  });

  it('-G moves the data into the query', () => {
    const value = imported(
      `curl -G https://api.example.com/search?lang=en --data-urlencode "q=hello world" -d limit=10`,
    );
    expect(value).toMatchObject({
      method: 'GET',
      url: 'https://api.example.com/search?lang=en&q=hello%20world&limit=10',
      body: null,
      headers: [],
    });
  });

  it("$'…' bodies and attached -X", () => {
    const value = imported(
      `curl -XPATCH https://api.example.com/v1/users/42 -H 'Content-Type: application/json' --data-raw $'{"name":"O\\'Brien","note":"a\\\\tb"}'`,
    );
    expect(value.method).toBe('PATCH');
    expect(JSON.parse(value.body ?? '')).toEqual({ name: "O'Brien", note: 'a\tb' });
  });

  it('combined short flags, --insecure and an apikey header', () => {
    const value = imported(`curl -sSLk -X DELETE https://api.example.com/v1/items/9 -H 'apikey: abc'`);
    expect(value.method).toBe('DELETE');
    expect(value.auth).toEqual({ type: 'api_key', headerName: 'apikey', secret: 'abc' });
    expect(value.warnings).toEqual([
      expect.stringContaining('redirects are never followed'),
      expect.stringContaining('TLS certificates are always verified'),
    ]);
  });

  it('a browser’s “Copy as cURL” with cookies, user agent and referer', () => {
    const value = imported(`curl 'https://api.example.com/me' \\
  -H 'accept: application/json' \\
  -b 'session=abc' \\
  -A 'Mozilla/5.0' \\
  -e https://example.com/ \\
  --compressed`);
    expect(value).toEqual({
      method: 'GET',
      url: 'https://api.example.com/me',
      headers: [
        { name: 'accept', value: 'application/json' },
        { name: 'User-Agent', value: 'Mozilla/5.0' },
        { name: 'Referer', value: 'https://example.com/' },
      ],
      body: null,
      auth: { type: 'none' },
      warnings: [expect.stringContaining('Cookies')],
    });
  });

  it('a non-bearer Authorization header becomes an API key in Authorization', () => {
    const value = imported(
      `curl https://api.example.com/x -H 'Authorization: Token abc123' -H 'X-Api-Key: second'`,
    );
    expect(value.auth).toEqual({ type: 'api_key', headerName: 'Authorization', secret: 'Token abc123' });
    expect(value.headers).toEqual([{ name: 'X-Api-Key', value: 'second' }]);
    expect(value.warnings).toEqual([expect.stringContaining('only one can be stored')]);
  });

  it('a prompt sign and Windows line endings', () => {
    expect(imported('$ curl \\\r\n  https://api.example.com/x').url).toBe('https://api.example.com/x');
  });
});

describe('parseCurl: refusals', () => {
  it.each([
    ['another program', 'wget https://example.com', /starts with curl/],
    ['no URL', 'curl -X POST', /no URL/],
    ['HEAD', 'curl -I https://example.com', /HEAD/],
    ['an unsupported method', 'curl -X OPTIONS https://example.com', /OPTIONS/],
    ['an unclosed quote', `curl 'https://example.com`, /never closed/],
    ['an option without its value', 'curl https://example.com -H', /needs a value/],
  ])('%s', (_name, command, message) => {
    const result = parseCurl(command);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toMatch(message);
  });

  it('warns about what it cannot carry over', () => {
    const value = imported(`curl https://example.com -F file=@a.png --frobnicate -d @body.json`);
    expect(value.warnings).toHaveLength(3);
  });

  it('never throws, whatever is pasted', { timeout: 30_000 }, () => {
    const piece = fc.constantFrom(
      'curl ',
      '-X',
      '-H',
      ' ',
      "'",
      '"',
      '\\',
      '\n',
      '$',
      "$'",
      '-d',
      '--json',
      '-G',
      'x',
      ':',
      '=',
      '@',
      '-u',
    );
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 30 }), (command) => {
        expect(typeof parseCurl(command).ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
