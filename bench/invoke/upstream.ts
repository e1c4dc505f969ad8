// The loopback HTTPS "customer API" of the invoke benchmarks, in its own process so the BFF and
// the load client do not share its event loop. Actions may only call port 443, so it listens on
// 443 of a random 127.x.y.z address (needs root or CAP_NET_BIND_SERVICE) with a certificate for
// that address from a throwaway CA; it reports { address, ca, badAddress } to the parent over
// IPC. `badAddress` is a second server, same answers, whose certificate no one issued.
//
// Paths: /ok… a 50-byte JSON answer; /hang… never answers; /reset… drops the connection;
// /trickle… one body byte every 50 ms; /huge… 4 MiB; /status/N… status N.
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';
import { issueServerCertificate } from '../lib/pki';

const BODY = JSON.stringify({ order: 'ORD-123', status: 'shipped', items: 3 });
const HUGE = 4 * 1024 * 1024;

async function selfSigned(address: string) {
  const pems = await generate([{ name: 'commonName', value: address }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: address }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

function answer(path: string, socket: Socket, res: ServerResponse): void {
  if (path.startsWith('/hang')) return;
  if (path.startsWith('/reset')) {
    socket.destroy();
    return;
  }
  if (path.startsWith('/trickle')) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('.'), 50);
    res.once('close', () => clearInterval(timer));
    return;
  }
  if (path.startsWith('/huge')) {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE) });
    const block = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < HUGE) {
        sent += block.length;
        if (!res.write(block)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  const status = /^\/status\/(\d{3})/.exec(path);
  res.writeHead(status ? Number(status[1]) : 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(BODY),
  });
  res.end(BODY);
}

async function listenOnRandomLoopback(): Promise<{
  server: ReturnType<typeof createServer>;
  address: string;
}> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.once('end', () => answer(req.url ?? '/', req.socket, res));
  });
  for (let attempt = 0; ; attempt += 1) {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    server.listen(443, address);
    try {
      await once(server, 'listening');
      return { server, address };
    } catch (error) {
      if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function main() {
  const good = await listenOnRandomLoopback();
  const bad = await listenOnRandomLoopback();
  const pems = await issueServerCertificate('invoke bench CA', good.address);
  good.server.setSecureContext({ key: pems.key, cert: pems.cert });
  bad.server.setSecureContext(await selfSigned(bad.address));
  process.send?.({ address: good.address, ca: pems.ca, badAddress: bad.address });
  // Stop with the parent, whatever happens to it.
  process.on('disconnect', () => process.exit(0));
}

await main();
