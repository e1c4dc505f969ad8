// The floor of any invoke path on this machine: a bare node:http server that reads the JSON
// body, makes the same GET to the upstream on a raw undici Agent and answers with the same
// result shape. No authentication, store, validation, SSRF guard or logging: whatever the BFF
// costs beyond this is ours, while this proxy's own gap to the direct call is the price of
// a second hop (one more server and client on the same cores), which no code can remove.
// Started by run.ts with TARGET (the upstream URL), CA_FILE and PORT; answers "ready" over IPC.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const target = process.env.TARGET ?? '';
const agent = new Agent({
  connect: { ca: readFileSync(process.env.CA_FILE ?? '', 'utf8') },
  keepAliveTimeout: 60_000,
  pipelining: 1,
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    request(target, { dispatcher: agent, headers: { accept: 'application/json' } })
      .then(async (upstream) => {
        const body = await upstream.body.text();
        const text = JSON.stringify({ ok: true, status: upstream.statusCode, body, truncated: false });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
