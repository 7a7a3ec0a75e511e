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
import { ParsePool, type ParsePoolOptions } from './scenario/parse-pool.ts';
import { ScenarioStore, type UploadLimits } from './scenario/store.ts';
import type { Quotas } from './sessions/quotas.ts';
import { SessionRegistry } from './sessions/registry.ts';
import { NULL_SINK } from './sessions/sink.ts';
import { openDatabase, openMemoryDatabase, type Database } from './storage/database.ts';
import { SqliteDrillStore } from './storage/sqlite-drills.ts';
import type { DrillStore } from './sessions/drill-store.ts';
import { compatFeeds, type CompatOptions } from './transport/compat/index.ts';
import { createApp } from './transport/http/app.ts';
import { socketCors } from './transport/http/cors.ts';
import type { SocketLimits } from './transport/socket/limits.ts';
import { attachSocketServer, reenter, type SimServer } from './transport/socket/server.ts';
import { SessionFaults } from './faults/session-faults.ts';
import { socketFaultHooks } from './transport/socket/faults.ts';
import { WebhookDispatcher, type DispatcherOptions } from './webhooks/dispatcher.ts';
import { SessionWebhooks } from './webhooks/session-webhooks.ts';
import { SqliteWebhookStore } from './webhooks/store.ts';
import { sessionSockets } from './transport/socket/sink.ts';
import { SqliteCompatWebhookStore } from './webhooks/compat-store.ts';

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
  readonly quotas?: Partial<Quotas>;
  readonly maxSessions?: number;
  readonly uploadLimits?: UploadLimits;
  readonly parsePool?: Partial<ParsePoolOptions>;
  /** Hosts webhooks may be delivered to (`WEBHOOK_ALLOWED_HOSTS`); empty: any http(s) host. */
  readonly webhookAllowedHosts?: readonly string[];
  /** Delivery timing (backoff, timeout…): tests shorten it. */
  readonly webhookDelivery?: Partial<Omit<DispatcherOptions, 'store' | 'allowedHosts' | 'logger'>>;
  /** How long `close` lets connections finish before it cuts them (default 3 s). */
  readonly shutdownGraceMs?: number;
  /**
   * Folder of the database that keeps drills, uploaded scenarios and webhooks (`serve` passes
   * DATA_DIR, default ./data); absent, they are kept in memory only and lost with the process.
   */
  readonly dataDir?: string;
  /** `full`: an fsync per commit (survives power cuts too), see storage/database.ts. */
  readonly dataSync?: 'normal' | 'full';
  /**
   * Several nodes (`REDIS_URL`): broadcasts through Redis Streams, one owner per session, any
   * node serving any client (cluster/node.ts). Absent: one process, nothing else to run.
   */
  readonly redisUrl?: string;
  /** Where the other nodes reach this one (`ADVERTISE_URL`); default http://127.0.0.1:<port>. */
  readonly advertiseUrl?: string;
  /** A session's owner lease (default 3 s): tests shorten it. */
  readonly leaseMs?: number;
  /**
   * PostgreSQL that keeps drills and uploaded scenarios instead of the data folder's SQLite
   * (`serve` passes DATABASE_URL), for several processes sharing them; webhooks stay in SQLite.
   */
  readonly databaseUrl?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly http: HttpServer;
  readonly io: SimServer;
  readonly registry: SessionRegistry;
  readonly scenarios: ScenarioStore;
  readonly faults: SessionFaults;
  readonly logger: Logger;
  close(reason?: string): Promise<void>;
}

/**
 * How long shutdown waits for connections to finish before it closes them: long enough for a
 * request in flight, short enough to stay inside the 5 s a supervisor allows (`serve`).
 */
const SHUTDOWN_GRACE_MS = 3000;

/**
 * The clients of PostgreSQL and Redis (and the Redis adapter) are loaded only when their URL is
 * given: one process on SQLite never loads them. A freshly started server's JS heap, after a
 * full GC, went from 40.4 MB to 33.5 MB with that (`heapUsed`, the seed scenario loaded).
 */
async function openDrills(options: ServerOptions, db: Database, logger: Logger, cleanUp: () => Promise<void>): Promise<DrillStore> {
  if (!options.databaseUrl) return new SqliteDrillStore(db);
  const [{ PgDrillStore }, { describeUrl }] = await Promise.all([import('./storage/pg-drills.ts'), import('./storage/postgres.ts')]);
  const store = await PgDrillStore.open(options.databaseUrl, (err) => logger.error({ err }, 'PostgreSQL connection lost')).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  logger.info({ database: describeUrl(options.databaseUrl) }, 'drills and uploads kept in PostgreSQL');
  return store;
}

async function connectCluster(redisUrl: string, logger: Logger, leaseMs: number | undefined) {
  const { ClusterNode } = await import('./cluster/node.ts');
  return ClusterNode.connect({ redisUrl, logger, ...(leaseMs ? { leaseMs } : {}) });
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const scenarios = new ScenarioStore(options.uploadLimits);
  const parsePool = new ParsePool(options.parsePool);
  await scenarios.loadFolders(options.scenarioDirs ?? [`${PROJECT_ROOT}scenarios`], (message) => logger.warn(message));
  const db = options.dataDir ? openDatabase({ dir: options.dataDir, ...(options.dataSync ? { sync: options.dataSync } : {}) }) : openMemoryDatabase();
  const drills = await openDrills(options, db, logger, async () => {
    db.close();
    await parsePool.close();
  });
  const cluster = options.redisUrl ? await connectCluster(options.redisUrl, logger, options.leaseMs) : undefined;
  await scenarios.restoreUploads(drills, parsePool, (message) => logger.warn(message));
  const registry = new SessionRegistry({
    drills,
    scenarios,
    sink: NULL_SINK,
    ...(options.idleMs ? { idleMs: options.idleMs } : {}),
    ...(options.sessionLogCapacity ? { logCapacity: options.sessionLogCapacity } : {}),
    ...(options.quotas ? { quotas: options.quotas } : {}),
    ...(options.maxSessions ? { maxSessions: options.maxSessions } : {}),
    ...(cluster ? { cluster } : {}),
    storeFailed: (err, write) => logger.error({ err, write }, 'a drill write failed'),
  });
  // With several nodes, kept drills are taken over one by one by whichever node gets the lease.
  cluster?.attach(registry, drills);
  const resumed = cluster ? 0 : await registry.restore((message) => logger.warn(message));
  if (resumed) logger.info({ drills: resumed }, `drills resumed, paused, from ${options.databaseUrl ? 'PostgreSQL' : 'the data folder'}`);
  let shuttingDown = false;
  const dispatcher = new WebhookDispatcher({ store: new SqliteWebhookStore(db), logger, allowedHosts: options.webhookAllowedHosts ?? [], ...options.webhookDelivery });
  const webhooks = new SessionWebhooks(dispatcher, (id) => registry.get(id)?.scenario.id);
  let ioRef: SimServer | undefined;
  const faults = new SessionFaults(socketFaultHooks(() => ioRef, (id) => registry.get(id) !== undefined));
  const compat = compatFeeds(registry, {
    ...options.compat,
    isShuttingDown: () => shuttingDown,
    faults,
    dispatcher,
    hooks: new SqliteCompatWebhookStore(db),
    ...(cluster ? { sharedDefault: cluster.sharedDefault() } : {}),
  });

  const app = createApp({
    registry,
    scenarios,
    parsePool,
    logger,
    version: VERSION,
    startedAtMs: Date.now(),
    clientDir: options.clientDir ?? `${PROJECT_ROOT}dist/client`,
    isShuttingDown: () => shuttingDown,
    faults,
    webhooks,
    compat,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(cluster ? { cluster: { nodeId: cluster.nodeId, internal: cluster.internalRoutes(), forward: cluster.forward() } } : {}),
  });
  if (cluster) {
    cluster.makeCompatDefault = () => compat.defaultSessionId();
    // A session's webhooks go with it to the node that takes it over.
    webhooks.mirror = (id, registrations) => void cluster.directory.saveHooks(id, registrations).catch((error: unknown) => logger.warn({ err: error, session: id }, 'cluster: webhooks not shared'));
    cluster.adoptHooks = (id, registrations) => webhooks.adopt(id, registrations);
  }
  const http = createServer(app);
  const cors = socketCors(options.corsOrigins ?? []);
  const io = attachSocketServer(http, {
    registry,
    logger,
    ...(options.socketLimits ? { limits: options.socketLimits } : {}),
    ...(cors ? { cors } : {}),
    faults,
    ...(cluster ? { cluster: cluster.remote, adapter: cluster.adapter() } : {}),
  });
  ioRef = io;
  if (cluster) {
    // Closing the transport (not a server-side disconnect) makes clients reconnect by themselves.
    cluster.onAdopted = (id) => {
      reenter(io, id, cluster.nodeId);
      io.serverSideEmit('adopted', id, cluster.nodeId);
    };
    cluster.onReleased = (id) => {
      for (const socket of sessionSockets(io.of('/'), id)) socket.conn.close();
    };
  }
  registry.sink = webhooks.tee(registry.sink);
  dispatcher.start();
  compat.restore(logger);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    // exclusive: a worker of `serve --workers` binds its own port (where other nodes reach it)
    // instead of sharing one through the cluster primary.
    http.listen({ port: options.port ?? 3000, host: options.host ?? '0.0.0.0', exclusive: true }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  await cluster?.start(options.advertiseUrl ?? `http://127.0.0.1:${port}`);
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  logger.info({ url, scenarios: scenarios.list().map((s) => s.id) }, 'air-raid-sim listening');

  let closing: Promise<void> | undefined;
  const close = (reason = 'shutdown') => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ reason }, 'shutting down');
      // This node's clients only: with several nodes the others keep serving theirs.
      io.local.emit('bye', { reason });
      await cluster?.close();
      // The deadline is armed first: closing socket.io also closes the HTTP server, which waits
      // for every request, and a client can keep one open for ever by never finishing its body.
      const grace = setTimeout(() => http.closeAllConnections(), options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS).unref();
      // Stop accepting; let in-flight requests finish, then cut what is left.
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      const ioClosed = new Promise<void>((resolve) => io.close(() => resolve()));
      registry.close();
      http.closeIdleConnections();
      await Promise.all([httpClosed, ioClosed, parsePool.close(), dispatcher.stop()]);
      await drills.close(); // SQLite: closes the database the webhook store shares
      if (options.databaseUrl) db.close();
      await cluster?.disconnect();
      clearTimeout(grace);
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, port, http, io, registry, scenarios, faults, logger, close };
}
