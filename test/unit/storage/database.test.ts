/** The embedded database: created on first run, WAL, migrations applied once and in order. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, openMemoryDatabase, type Migration } from '../../../server/storage/database.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ars-db-'));
  dirs.push(dir);
  return join(dir, 'nested', 'data');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const notes: Migration[] = [
  { version: 1, description: 'notes', up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)') },
  { version: 2, description: 'notes.author', up: (db) => db.exec("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''") },
];

describe('the embedded database', () => {
  it('creates its folder on first run and opens in WAL mode', () => {
    const db = openDatabase({ dir: freshDir() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies each migration once, in order, and keeps data across reopening', () => {
    const dir = freshDir();
    let db = openDatabase({ dir });
    migrate(db, 'notes', notes.slice(0, 1));
    db.prepare('INSERT INTO notes (body) VALUES (?)').run('kept');
    db.close();
    db = openDatabase({ dir });
    migrate(db, 'notes', notes);
    migrate(db, 'notes', notes);
    expect(db.prepare('SELECT body, author FROM notes').all()).toEqual([{ body: 'kept', author: '' }]);
    expect(db.prepare("SELECT version FROM schema_migrations WHERE store = 'notes' ORDER BY version").all()).toEqual([{ version: 1 }, { version: 2 }]);
    db.close();
  });

  it('rolls a failing migration back whole, and refuses a database newer than the code', () => {
    const db = openMemoryDatabase();
    const broken: Migration[] = [{ version: 1, description: 'half', up: (d) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom'); } }];
    expect(() => migrate(db, 'half', broken)).toThrow('boom');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    migrate(db, 'notes', notes);
    expect(() => migrate(db, 'notes', notes.slice(0, 1))).toThrow(/newer than this program knows/);
    expect(() => migrate(db, 'gaps', [{ ...notes[1]!, version: 2 }])).toThrow(/numbered 1, 2, 3/);
  });
});
