/**
 * The embedded database: one SQLite file under `DATA_DIR` (default `./data`), opened with
 * better-sqlite3 in WAL mode, and the versioned migrations each store brings.
 *
 * Why these settings: WAL lets readers go on while a writer commits, and with
 * `synchronous = NORMAL` a committed transaction survives the process being killed (SIGKILL, a
 * crash), which is what "acknowledged only after it is committed" needs; only a power cut can
 * lose the last commits, and `DATA_SYNC=full` closes that too, at about one fsync per commit.
 * A commit of one small row costs tens of microseconds in WAL with NORMAL, so a drill's 1,000
 * answers in a few seconds are far from the limit of one synchronous connection.
 *
 * Stores never share tables: each declares its migrations under its own name, applied in order
 * and recorded in `schema_migrations`, so adding a store or a column is a new migration, never an
 * edit of an old one. A PostgreSQL implementation of a store sits beside its SQLite one, with the
 * same versions (storage/postgres.ts).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

export interface Migration {
  /** Increasing within its store, from 1. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

export interface OpenOptions {
  /** Folder of the database file, created on first run. */
  readonly dir: string;
  readonly fileName?: string;
  /** `full`: an fsync per commit, so a power cut loses nothing acknowledged either. */
  readonly sync?: 'normal' | 'full';
}

export const DEFAULT_DATA_DIR = './data';

/** Opens (creating if need be) the database file; migrations are applied by `migrate`. */
export function openDatabase(options: OpenOptions): Database {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const db = new BetterSqlite3(join(dir, options.fileName ?? 'air-raid-sim.sqlite'));
  db.pragma('journal_mode = WAL');
  return prepare(db, options.sync ?? 'normal');
}

/** An in-memory database, for tests of a store's logic (stores are tested on real files too). */
export function openMemoryDatabase(): Database {
  return prepare(new BetterSqlite3(':memory:'), 'normal');
}

function prepare(db: Database, sync: 'normal' | 'full'): Database {
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    store TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (store, version)
  )`);
  return db;
}

/**
 * Applies `store`'s migrations that have not run yet, each in its own transaction, in version
 * order. Refuses a database that has a newer version than this code knows (a downgrade).
 */
export function migrate(db: Database, store: string, migrations: readonly Migration[]): void {
  const sorted = inOrder(store, migrations);
  // One write transaction from the version check to the last migration: processes that share
  // the file (`serve --workers`) start together, and only the first applies each migration.
  db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations WHERE store = ?').get(store) as { version: number | null };
    const current = row.version ?? 0;
    if (current > sorted.length) {
      throw new Error(`${store}: the database is at version ${current}, newer than this program knows (${sorted.length}); use a newer release or another DATA_DIR`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (store, version, description, applied_at) VALUES (?, ?, ?, ?)');
    for (const m of sorted.slice(current)) {
      db.transaction(() => {
        m.up(db);
        record.run(store, m.version, m.description, new Date().toISOString());
      })();
    }
  }).immediate();
}

/** Refuses a list that is not numbered 1, 2, 3…; returns it in order. */
export function inOrder<T extends { readonly version: number }>(store: string, migrations: readonly T[]): T[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${store}: migrations must be numbered 1, 2, 3…; found ${m.version} at place ${i + 1}`);
  });
  return sorted;
}
