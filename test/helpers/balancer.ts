/**
 * A TCP load balancer for tests of several nodes: each connection goes to the next backend in
 * turn, skipping any that refuses it (a killed node), as a real balancer's health check would.
 * Clients use websockets only, so no stickiness is needed.
 */
import { createServer, Socket, type Server } from 'node:net';

export interface Balancer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBalancer(backends: readonly { host: string; port: number }[]): Promise<Balancer> {
  let next = 0;
  const open = new Set<Socket>();
  const connectTo = (client: Socket, tries: number) => {
    if (tries >= backends.length) return client.destroy();
    const backend = backends[next++ % backends.length]!;
    const upstream = new Socket();
    let connected = false;
    upstream.on('error', () => {
      upstream.destroy();
      if (connected) client.destroy();
      else connectTo(client, tries + 1);
    });
    upstream.connect(backend.port, backend.host, () => {
      connected = true;
      open.add(upstream);
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => {
        open.delete(upstream);
        client.destroy();
      });
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    connectTo(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
