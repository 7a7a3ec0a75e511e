/**
 * PostgreSQL (`DATABASE_URL`), the database several server processes can share: a pool of
 * connections, the versioned migrations of each store, and the queue that keeps one store's
 * writes in the order they were called.
 *
 * Migrations mirror the embedded database's (storage/database.ts): per store, numbered 1, 2, 3…,
 * each in its own transaction, recorded in `schema_migrations`, a database newer than the code
 * refused. Nodes started together would race to create the same tables, so the whole check and
 * apply runs under one advisory lock: the first node migrates, the others wait for it (a few
 * milliseconds) and find nothing left to do.
 *
 * Why a queue: an async store must still commit an alert opened before its answer and closed
 * after it. One queue per store runs its writes one after another on the pool; an answer is one
 * UPDATE by primary key, a fraction of a millisecond on a local server, so 1,000 answers queued
 * behind each other wait well under a second in all.
 */
import pg from 'pg';
import { inOrder } from './database.ts';

export interface PgMigration {
  /** Increasing within its store, from 1: the same numbers as the store's SQLite migrations. */
  readonly version: number;
  readonly description: string;
  /** One or more statements, run in one transaction. */
  readonly sql: string;
}

/** The advisory lock every node takes to migrate (any constant; this is "ARS" and 1). */
export const MIGRATION_LOCK = 0x415253_01;

/** Milliseconds columns are BIGINT (wall times are past 2^31); they come back as numbers, exact below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The address without its password, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}

/**
 * A pool on `url`, its first connection made (so a wrong address fails at start, not at the
 * first answer). Idle connections the server drops report to `onError` instead of crashing.
 */
export async function openPool(url: string, onError: (error: Error) => void): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: 4, connectionTimeoutMillis: 10_000 });
  pool.on('error', onError);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`DATABASE_URL: cannot connect to PostgreSQL at ${describeUrl(url)}: ${(error as Error).message}`);
  }
  return pool;
}

/** Runs `work` in one transaction on one connection of the pool. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
}

/** Applies `store`'s migrations not yet applied, under the advisory lock (see the file header). */
export async function migratePostgres(pool: pg.Pool, store: string, migrations: readonly PgMigration[]): Promise<void> {
  const sorted = inOrder(store, migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        store TEXT NOT NULL,
        version INTEGER NOT NULL,
        description TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (store, version)
      )`);
      const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations WHERE store = $1', [store]);
      const current = rows[0]?.version ?? 0;
      if (current > sorted.length) {
        throw new Error(`${store}: the database is at version ${current}, newer than this program knows (${sorted.length}); use a newer release or another DATABASE_URL`);
      }
      for (const m of sorted.slice(current)) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (store, version, description) VALUES ($1, $2, $3)', [store, m.version, m.description]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/** Runs tasks one after another in the order they were queued; a failed task fails only its own promise. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drained(): Promise<void> {
    await this.tail;
  }
}
