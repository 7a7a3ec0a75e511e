import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startServer } from '../../server.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

function minutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of minutes above 0.');
  return n;
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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server: the API, the socket protocol and the page (what `npm start` runs)')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').argParser(port).default(3000))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('0.0.0.0'))
    .addOption(new Option('--scenarios <dir...>', 'scenario folders (scenarios/ is always loaded)').env('SCENARIOS_DIR'))
    .addOption(new Option('--public-url <url>', 'base of the links handed out, e.g. https://sim.example.org').env('PUBLIC_URL'))
    .addOption(new Option('--idle-minutes <n>', 'close sessions nobody has used for this long').env('SESSION_IDLE_MINUTES').argParser(minutes).default(30))
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .action(async (options: { port: number; host: string; scenarios?: string[] | string; publicUrl?: string; idleMinutes: number; logLevel: string }) => {
      process.env.LOG_LEVEL = options.logLevel;
      await ensureClientBuilt();
      const extra = typeof options.scenarios === 'string' ? options.scenarios.split(':') : (options.scenarios ?? []);
      const { PROJECT_ROOT } = await import('../../server.ts');
      const server = await startServer({
        port: options.port,
        host: options.host,
        scenarioDirs: [`${PROJECT_ROOT}scenarios`, ...extra.filter(Boolean)],
        idleMs: options.idleMinutes * 60_000,
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      });
      process.stdout.write(`air-raid-sim: serving on ${server.url}\n`);
      const stop = (signal: string) => {
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
