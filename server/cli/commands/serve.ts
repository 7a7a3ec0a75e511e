import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { runPrimary, WORKER_READY } from '../workers.ts';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startServer } from '../../server.ts';
import { parseOrigins } from '../../transport/http/cors.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError('expected a number of seconds from 0 to 600.');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0.');
  return n;
}

function minutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of minutes above 0.');
  return n;
}

function speed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) throw new InvalidArgumentError('expected a speed from 0.1 to 3600.');
  return n;
}

interface ServeOptions {
  port: number;
  host: string;
  scenarios?: string[] | string;
  publicUrl?: string;
  idleMinutes: number;
  logLevel: string;
  dataDir: string;
  dataSync: 'normal' | 'full';
  databaseUrl?: string;
  shutdownSeconds: number;
  connectionsPerAddress: number;
  connectionsPerSecond: number;
  sessionsPerAddress: number;
  traineesPerSecond: number;
  corsOrigins?: string;
  compatTokens?: string;
  compatRateLimits: 'on' | 'off';
  compatWebhooks: 'on' | 'off';
  compatScenario: string;
  compatSpeed: number;
  compatTimes: 'present' | 'original';
  webhookAllowedHosts?: string;
  webhookRetryMs: number;
  redisUrl?: string;
  advertiseUrl?: string;
  leaseMs?: number;
  workers: number;
}

/** `npm start` on a fresh clone: build the page first if it has never been built. */
async function ensureClientBuilt(): Promise<void> {
  const { PROJECT_ROOT } = await import('../../server.ts');
  if (existsSync(`${PROJECT_ROOT}dist/client/index.html`)) return;
  process.stdout.write('air-raid-sim: building the page (first run)…\n');
  try {
    const { build } = await import('vite');
    await build({ configFile: `${PROJECT_ROOT}vite.config.ts`, logLevel: 'warn' });
  } catch (error) {
    process.stderr.write(`air-raid-sim: the page could not be built (${(error as Error).message}); serving the API only. Run \`npm run build\` to see why.\n`);
  }
}

/** Messages (connections) from the primary that arrive before the worker serves, replayed once it does. */
function holdConnections(): { release(): void } {
  const held: Array<[unknown, unknown]> = [];
  const hold = (message: unknown, handle: unknown) => held.push([message, handle]);
  process.on('message', hold);
  return {
    release: () => {
      process.off('message', hold);
      for (const [message, handle] of held) process.emit('message', message, handle as never);
    },
  };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server: the API, the socket protocol and the page (what `npm start` runs)')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').argParser(port).default(3000))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('0.0.0.0'))
    .addOption(new Option('--scenarios <dir...>', 'scenario folders (scenarios/ is always loaded)').env('SCENARIOS_DIR'))
    .addOption(new Option('--public-url <url>', 'base of the links handed out, e.g. https://sim.example.org').env('PUBLIC_URL'))
    .addOption(new Option('--idle-minutes <n>', 'close sessions nobody has used for this long').env('SESSION_IDLE_MINUTES').argParser(minutes).default(30))
    .addOption(new Option('--cors-origins <origins>', 'origins whose pages may call the API, the compatible feeds and socket.io (comma-separated, * for any); off by default').env('CORS_ORIGINS'))
    .addOption(new Option('--compat-tokens <tokens>', 'tokens the compatible feeds accept (comma-separated); by default any token').env('COMPAT_TOKENS'))
    .addOption(new Option('--compat-rate-limits <on|off>', "apply the real services' rate limits on the compatible feeds").env('COMPAT_RATE_LIMITS').choices(['on', 'off']).default('off'))
    .addOption(new Option('--compat-webhooks <on|off>', 'send ukrainealarm webhook deliveries (off: registration only)').env('COMPAT_WEBHOOKS').choices(['on', 'off']).default('on'))
    .addOption(new Option('--compat-scenario <id>', 'scenario the default session of the compatible feeds plays').env('COMPAT_DEFAULT_SCENARIO').default('2025-12-06-barrage'))
    .addOption(new Option('--compat-speed <x>', 'speed of the default session (0.1 to 3600)').env('COMPAT_DEFAULT_SPEED').argParser(speed).default(1))
    .addOption(new Option('--compat-times <mode>', 'times on the default session\'s feeds: present (the replay reads as now) or original').env('COMPAT_DEFAULT_TIMES').choices(['present', 'original']).default('present'))
    .addOption(new Option('--webhook-allowed-hosts <hosts>', 'hosts webhooks may be delivered to (comma-separated); by default any http(s) host').env('WEBHOOK_ALLOWED_HOSTS'))
    .addOption(new Option('--webhook-retry-ms <ms>', 'first retry delay of a failed webhook delivery; it doubles on each attempt (with jitter), 8 attempts in all').env('WEBHOOK_RETRY_MS').argParser(count).default(1000))
    .addOption(new Option('--shutdown-seconds <s>', 'after SIGTERM or SIGINT, exit within this long whatever clients do').env('SHUTDOWN_SECONDS').argParser(seconds).default(5))
    .addOption(new Option('--connections-per-address <n>', 'socket connections one address may hold at once').env('CONNECTIONS_PER_ADDRESS').argParser(count).default(200))
    .addOption(new Option('--connections-per-second <n>', 'socket connections one address may open per second (bursts of 2.5 times that)').env('CONNECTIONS_PER_SECOND').argParser(count).default(20))
    .addOption(new Option('--trainees-per-second <n>', 'trainees a drill admits per second (bursts of 6 times that)').env('TRAINEES_PER_SECOND').argParser(count).default(10))
    .addOption(new Option('--sessions-per-address <n>', 'sessions one address may run at once').env('SESSIONS_PER_ADDRESS').argParser(count).default(20))
    .addOption(new Option('--data-dir <dir>', 'folder of the database that keeps drills, uploaded scenarios and webhooks (created on first run; with --database-url, webhooks only)').env('DATA_DIR').default('./data'))
    .addOption(new Option('--data-sync <mode>', 'normal: commits survive a crash; full: an fsync per commit, they survive a power cut too').env('DATA_SYNC').choices(['normal', 'full']).default('normal'))
    .addOption(new Option('--redis-url <url>', 'run as one node of several sharing this Redis (5 or newer): any node serves any session; off by default').env('REDIS_URL'))
    .addOption(new Option('--advertise-url <url>', 'with --redis-url: where the other nodes reach this one (default http://127.0.0.1:<port>, right for one machine)').env('ADVERTISE_URL'))
    .addOption(new Option('--workers <n>', 'with --redis-url: run this many server processes sharing the port (e.g. one per core)').env('WORKERS').argParser(count).default(1))
    .addOption(new Option('--lease-ms <ms>', "with --redis-url: a session's owner lease; a dead owner is replaced after about this long").env('LEASE_MS').argParser(count).hideHelp())
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL that keeps drills and uploaded scenarios instead of SQLite, for several processes or machines sharing them, e.g. postgres://user:secret@db:5432/airraid (webhooks stay in --data-dir)').env(
        'DATABASE_URL',
      ),
    )
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .action(async (options: ServeOptions) => {
      process.env.LOG_LEVEL = options.logLevel;
      const worker = cluster.isWorker && process.env.AIR_RAID_SIM_WORKER === '1';
      if (options.workers > 1 && !worker) {
        if (!options.redisUrl) throw new InvalidArgumentError('--workers needs --redis-url (REDIS_URL): the workers share their sessions through Redis.');
        await ensureClientBuilt();
        return runPrimary({ workers: options.workers, port: options.port, host: options.host, shutdownSeconds: options.shutdownSeconds });
      }
      if (!worker) await ensureClientBuilt();
      // The primary may hand a worker connections before its server is up: they wait here.
      const early = worker ? holdConnections() : undefined;
      const extra = typeof options.scenarios === 'string' ? options.scenarios.split(':') : (options.scenarios ?? []);
      const { PROJECT_ROOT } = await import('../../server.ts');
      const server = await startServer({
        // A worker gets its connections from the primary; its own port, on loopback, is where the
        // other nodes reach it.
        port: worker ? 0 : options.port,
        host: worker ? '127.0.0.1' : options.host,
        scenarioDirs: [`${PROJECT_ROOT}scenarios`, ...extra.filter(Boolean)],
        idleMs: options.idleMinutes * 60_000,
        dataDir: options.dataDir,
        dataSync: options.dataSync,
        ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
        quotas: {
          connectionsPerAddress: options.connectionsPerAddress,
          connectionsPerSecond: options.connectionsPerSecond,
          connectionBurst: Math.ceil(options.connectionsPerSecond * 2.5),
          sessionsPerAddress: options.sessionsPerAddress,
          traineesPerSecond: options.traineesPerSecond,
          traineeBurst: options.traineesPerSecond * 6,
        },
        // Connections are cut a second before the deadline, so that the orderly close can finish.
        shutdownGraceMs: Math.max(100, Math.min(3000, options.shutdownSeconds * 1000 - 1000)),
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        corsOrigins: parseOrigins(options.corsOrigins),
        webhookAllowedHosts: (options.webhookAllowedHosts ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
        webhookDelivery: { baseDelayMs: options.webhookRetryMs, sharedDatabase: worker },
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        ...(options.advertiseUrl ? { advertiseUrl: options.advertiseUrl } : {}),
        ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
        compat: {
          tokens: (options.compatTokens ?? '').split(',').map((t) => t.trim()).filter(Boolean),
          realRateLimits: options.compatRateLimits === 'on',
          webhooks: options.compatWebhooks === 'on',
          defaultSession: { scenarioId: options.compatScenario, speed: options.compatSpeed, feedTimes: options.compatTimes },
        },
      });
      if (worker) {
        const { setupWorker } = await import('@socket.io/sticky');
        setupWorker(server.io as unknown as Parameters<typeof setupWorker>[0]);
        early?.release();
        process.send?.({ type: WORKER_READY });
      } else process.stdout.write(`air-raid-sim: serving on ${server.url}\n`);
      const stop = (signal: string) => {
        // The hard deadline: whatever clients do, the process is gone by then (exit code 1 says
        // the orderly close did not finish).
        setTimeout(() => {
          server.logger.error({ signal }, 'shutdown deadline passed; exiting');
          process.exit(1);
        }, options.shutdownSeconds * 1000).unref();
        server.close(signal).then(
          () => process.exit(0),
          (error: unknown) => {
            server.logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
