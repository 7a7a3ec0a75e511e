/**
 * A PostgreSQL of the test's own: `initdb` into a fresh temporary folder, `postgres` on a free
 * port of 127.0.0.1 with its socket in that folder, no system service assumed, stopped (fast
 * shutdown) and removed afterwards. One per test file; each test takes a fresh database of it.
 *
 * The binaries are found through PG_BIN, `pg_config --bindir`, or /usr/lib/postgresql/<n>/bin
 * (Debian). PostgreSQL refuses to run as root: as root they run as the `postgres` system user
 * (Debian's package creates it), the folder handed to it. When PostgreSQL cannot be found or
 * started the caller fails with a message naming the fix, never skips.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis.ts';

const FIX = "install Debian's postgresql (apt-get install postgresql), or run bash .ci/run";

export interface TestPostgres {
  /** `postgres://…/postgres`: the server's own maintenance database. */
  readonly url: string;
  /** A new, empty database; its URL. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

function findBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on the PATH: Debian's layout next
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (!found) throw new Error(`PostgreSQL's server programs (initdb, postgres) were not found (looked in PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin): ${FIX}`);
  return found;
}

/** As root, the `postgres` user's ids, which the folder is handed to; otherwise none. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`the tests run as root and PostgreSQL refuses root, but there is no postgres system user to run it as: ${FIX}`);
  }
}

function command(user: { uid: number } | undefined, program: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

/** Starts a PostgreSQL of its own; throws, naming the fix, when it cannot. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinaries();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'ars-pg-'));
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) {
    chownSync(root, user.uid, user.gid);
    chownSync(data, user.uid, user.gid);
  }
  const fail = (what: string, detail: string): never => {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL could not be started (${what}): ${detail.trim().slice(-2000)}\n${FIX}`);
  };
  try {
    const [program, args] = command(user, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    execFileSync(program, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    fail('initdb', e.stderr || e.message);
  }

  const port = await freePort();
  // fsync off: the tests kill the servers that use it, never PostgreSQL itself.
  const [program, args] = command(user, join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', root, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']);
  const child: ChildProcess = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.once('error', (error) => (log += `\n${error.message}`));

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) fail('postgres exited', log);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        fail('not ready within 30 s', `${(error as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  let made = 0;
  return {
    url,
    async database() {
      const name = `t${++made}_${process.pid}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (!exited) {
        // The postmaster itself (runuser may not pass signals on): SIGINT is its fast shutdown.
        const pid = Number(readPid(data));
        const signal = (name: NodeJS.Signals) => (pid > 0 ? process.kill(pid, name) : child.kill(name));
        signal('SIGINT');
        // Past 10 s, its immediate shutdown.
        const killer = setTimeout(() => signal('SIGQUIT'), 10_000);
        await exit;
        clearTimeout(killer);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function readPid(data: string): string {
  try {
    return readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
  } catch {
    return '';
  }
}
