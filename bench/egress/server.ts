// The loopback HTTPS upstream of the egress benchmark, in its own process so that the clients
// being measured do not share an event loop with it. Started by run.ts over IPC.
import { createServer } from 'node:https';

const BODY = JSON.stringify({ order: 'ORD-123', status: 'shipped', items: 3 });

process.once('message', (message: { key: string; cert: string }) => {
  const server = createServer(
    { key: message.key, cert: message.cert, keepAliveTimeout: 60_000 },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
      res.end(BODY);
    },
  );
  // TLS handshakes so far: the parent asks between rounds, to show how well each client reuses
  // its keep-alive connections.
  let handshakes = 0;
  server.on('secureConnection', () => {
    handshakes += 1;
  });
  process.on('message', (query: unknown) => {
    if (query === 'handshakes') process.send?.({ handshakes });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  // Stop with the parent, whatever happens to it.
  process.on('disconnect', () => process.exit(0));
});
