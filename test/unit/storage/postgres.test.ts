/**
 * PostgreSQL's migrations (on a server of the test's own; without PostgreSQL this fails and says
 * how to get it): the same versions and descriptions as SQLite's, applied once and in order,
 * once only when several nodes start together, a failing one rolled back whole, a database newer
 * than the code refused.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../../server/storage/database.ts';
import { PG_DRILL_MIGRATIONS, PgDrillStore } from '../../../server/storage/pg-drills.ts';
import { describeUrl, migratePostgres, openPool, type PgMigration } from '../../../server/storage/postgres.ts';
import { SqliteDrillStore } from '../../../server/storage/sqlite-drills.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop(), 30_000);

const notes: PgMigration[] = [
  { version: 1, description: 'notes', sql: 'CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL)' },
  { version: 2, description: 'notes.author', sql: "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''" },
];

async function pool(url: string): Promise<pg.Pool> {
  return openPool(url, (error) => console.error(error));
}

describe('PostgreSQL migrations', () => {
  it('records the drill store at the versions and descriptions SQLite records, once though four nodes start together', async () => {
    const url = await server.database();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgDrillStore.open(url, (error) => console.error(error))));
    for (const s of stores) await s.close();
    const db = await pool(url);
    const { rows } = await db.query('SELECT store, version, description FROM schema_migrations ORDER BY store, version');
    await db.end();
    expect(rows).toEqual(PG_DRILL_MIGRATIONS.map((m) => ({ store: 'drills', version: m.version, description: m.description })));
    expect(rows.length).toBeGreaterThan(0);
    // SQLite's store, opened on its own database, records the same list.
    const fresh = openMemoryDatabase();
    new SqliteDrillStore(fresh);
    expect(fresh.prepare('SELECT store, version, description FROM schema_migrations ORDER BY store, version').all()).toEqual(rows);
    fresh.close();
  });

  it('applies each migration once, in order, and keeps data across reopening', async () => {
    const url = await server.database();
    let db = await pool(url);
    await migratePostgres(db, 'notes', notes.slice(0, 1));
    await db.query('INSERT INTO notes (body) VALUES ($1)', ['kept']);
    await db.end();
    db = await pool(url);
    await migratePostgres(db, 'notes', notes);
    await migratePostgres(db, 'notes', notes);
    expect((await db.query('SELECT body, author FROM notes')).rows).toEqual([{ body: 'kept', author: '' }]);
    expect((await db.query("SELECT version FROM schema_migrations WHERE store = 'notes' ORDER BY version")).rows).toEqual([{ version: 1 }, { version: 2 }]);
    await db.end();
  });

  it('rolls a failing migration back whole, and refuses a database newer than the code or a gap in the numbers', async () => {
    const db = await pool(await server.database());
    try {
      const broken: PgMigration[] = [{ version: 1, description: 'half', sql: 'CREATE TABLE half (x INTEGER); SELECT 1 / 0' }];
      await expect(migratePostgres(db, 'half', broken)).rejects.toThrow(/division by zero/);
      expect((await db.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
      expect((await db.query("SELECT count(*)::int AS n FROM schema_migrations WHERE store = 'half'")).rows).toEqual([{ n: 0 }]);
      await migratePostgres(db, 'notes', notes);
      await expect(migratePostgres(db, 'notes', notes.slice(0, 1))).rejects.toThrow(/newer than this program knows/);
      await expect(migratePostgres(db, 'gaps', [{ ...notes[1]! }])).rejects.toThrow(/numbered 1, 2, 3/);
    } finally {
      await db.end();
    }
  });

  it('says where it could not connect, without the password', async () => {
    const url = server.url.replace('postgres@', 'postgres:hunter2@').replace(/\/postgres$/, '/no_such_db');
    const refused = await PgDrillStore.open(url, () => {}).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/^DATABASE_URL: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/no_such_db: .*no_such_db/);
    expect(refused).not.toContain('hunter2');
    expect(describeUrl('not a url')).toBe('an address that is not a URL');
  });
});
