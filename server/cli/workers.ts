/**
 * `serve --workers N`: N server processes on one machine sharing one port. The primary process
 * accepts every connection and hands it to a worker with socket.io's sticky routing (a polling
 * client's requests all reach the worker that holds its connection; a websocket stays where it
 * was handed); the workers are nodes of one cluster on the same Redis (cluster/node.ts), so any
 * worker serves any session and a worker that dies is replaced while others take its sessions over.
 *
 * Why a primary that only routes: Node's cluster module alone spreads connections without regard
 * to socket.io's session id, which breaks long-polling clients.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';

/** A worker that dies is started again after this long (a crash loop stays slow). */
const RESTART_DELAY_MS = 1000;

export interface PrimaryOptions {
  readonly workers: number;
  readonly port: number;
  readonly host: string;
  readonly shutdownSeconds: number;
}

export const WORKER_READY = 'air-raid-sim:ready';

export async function runPrimary(options: PrimaryOptions): Promise<void> {
  // The first bytes of each connection travel to the worker as a Buffer: with the default JSON
  // serialization they arrive as a plain object and the worker's HTTP parser never sees them.
  cluster.setupPrimary({ serialization: 'advanced' });
  const http = createServer();
  const { setupMaster } = await import('@socket.io/sticky');
  setupMaster(http, { loadBalancingMethod: 'least-connection' });
  let stopping = false;
  let ready = 0;
  const fork = () => {
    const worker = cluster.fork({ AIR_RAID_SIM_WORKER: '1' });
    worker.on('message', (message: unknown) => {
      if ((message as { type?: string } | null)?.type === WORKER_READY && ++ready === options.workers) {
        const shown = options.host === '0.0.0.0' ? 'localhost' : options.host;
        process.stdout.write(`air-raid-sim: serving on http://${shown}:${(http.address() as { port: number }).port} (${options.workers} workers)\n`);
      }
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`air-raid-sim: worker ${worker.process.pid} ended (${signal ?? code}); starting another\n`);
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  for (let i = 0; i < options.workers; i++) fork();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), options.shutdownSeconds * 1000).unref();
    http.close();
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (alive.length === 0) process.exit(0);
    let left = alive.length;
    for (const worker of alive) {
      worker!.once('exit', () => --left === 0 && process.exit(0));
      worker!.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
