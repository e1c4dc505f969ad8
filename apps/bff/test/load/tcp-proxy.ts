import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that can be cut and restored: the database "goes down" (every open
 * connection is dropped and new ones are refused) and "comes back" on the same port, without
 * touching the PostgreSQL server other suites share. It can also go silent: open connections stay
 * open but nothing passes either way any more (a pooler or network path that lost the session
 * without closing the socket), and new connections are accepted and never answered; after heal()
 * new connections work again while the silenced ones stay dead, as they would behind a pooler.
 */
export interface TcpProxy {
  port: number;
  /** Connections open through the proxy right now. */
  readonly open: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  silence(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let silent = false;
  const pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  const blackHole = (pair: { client: Socket; upstream: Socket | null }) => {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    // Read and drop: the other side sees an open, silent connection.
    pair.client.on('data', () => {});
    pair.upstream?.on('data', () => {});
  };
  const server = createServer((client) => {
    track(client);
    if (silent) {
      client.on('error', () => client.destroy());
      blackHole({ client, upstream: null });
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    const pair = { client, upstream };
    pairs.add(pair);
    client.once('close', () => pairs.delete(pair));
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side failing ends both, as a broken network path would.
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.once('close', end);
    upstream.once('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;
  let listening = true;

  const cut = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    get open() {
      return sockets.size / 2;
    },
    cut,
    silence() {
      silent = true;
      for (const pair of pairs) blackHole(pair);
      pairs.clear();
    },
    heal() {
      silent = false;
    },
    async restore() {
      if (listening) return;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      listening = true;
    },
    close: cut,
  };
}
