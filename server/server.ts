/**
 * One process serving the API, the socket protocol and the built page. `startServer` wires the
 * pieces; `close` takes them down in the order that loses nothing: stop accepting, tell clients,
 * close sessions.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ScenarioStore } from './scenario/store.ts';
import { SessionRegistry } from './sessions/registry.ts';
import { NULL_SINK } from './sessions/sink.ts';
import type { CompatOptions } from './transport/compat/index.ts';
import { createApp } from './transport/http/app.ts';
import { socketCors } from './transport/http/cors.ts';
import type { SocketLimits } from './transport/socket/limits.ts';
import { attachSocketServer, type SimServer } from './transport/socket/server.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly scenarioDirs?: readonly string[];
  readonly logger?: Logger;
  readonly idleMs?: number;
  readonly publicUrl?: string;
  readonly clientDir?: string;
  readonly requestsPerMinute?: number;
  readonly socketLimits?: Partial<SocketLimits>;
  /** Items each session keeps for clients that resume with `lastSeq`. */
  readonly sessionLogCapacity?: number;
  /** The compatible feeds: accepted tokens, real rate limits, the default session. */
  readonly compat?: CompatOptions;
  /** Origins allowed to use the API, the feeds and socket.io from their pages. */
  readonly corsOrigins?: readonly string[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly http: HttpServer;
  readonly io: SimServer;
  readonly registry: SessionRegistry;
  readonly scenarios: ScenarioStore;
  readonly logger: Logger;
  close(reason?: string): Promise<void>;
}

/** How long shutdown waits for connections to finish before it closes them. */
const SHUTDOWN_GRACE_MS = 3000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const scenarios = new ScenarioStore();
  await scenarios.loadFolders(options.scenarioDirs ?? [`${PROJECT_ROOT}scenarios`], (message) => logger.warn(message));
  const registry = new SessionRegistry({
    scenarios,
    sink: NULL_SINK,
    ...(options.idleMs ? { idleMs: options.idleMs } : {}),
    ...(options.sessionLogCapacity ? { logCapacity: options.sessionLogCapacity } : {}),
  });
  let shuttingDown = false;

  const app = createApp({
    registry,
    scenarios,
    logger,
    version: VERSION,
    startedAtMs: Date.now(),
    clientDir: options.clientDir ?? `${PROJECT_ROOT}dist/client`,
    isShuttingDown: () => shuttingDown,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : {}),
    ...(options.compat ? { compat: options.compat } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
  });
  const http = createServer(app);
  const cors = socketCors(options.corsOrigins ?? []);
  const io = attachSocketServer(http, { registry, logger, ...(options.socketLimits ? { limits: options.socketLimits } : {}), ...(cors ? { cors } : {}) });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 3000, options.host ?? '0.0.0.0', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  logger.info({ url, scenarios: scenarios.list().map((s) => s.id) }, 'air-raid-sim listening');

  let closing: Promise<void> | undefined;
  const close = (reason = 'shutdown') => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ reason }, 'shutting down');
      io.emit('bye', { reason });
      // Stop accepting; let in-flight requests finish, then cut what is left.
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      registry.close();
      const grace = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
      http.closeIdleConnections();
      await httpClosed;
      clearTimeout(grace);
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, port, http, io, registry, scenarios, logger, close };
}
