/** The compatible feeds' webhook registrations on SQLite: a real file, reopened, and a database of the first schema upgraded. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../server/storage/database.ts';
import { SqliteCompatWebhookStore, type CompatRegistration } from '../../../server/webhooks/compat-store.ts';
import { SqliteWebhookStore, WEBHOOK_MIGRATIONS } from '../../../server/webhooks/store.ts';

/** One folder per data directory below a temporary root (the database creates its folder). */
const root = mkdtempSync(join(tmpdir(), 'air-raid-sim-compat-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `data-${(dirs += 1)}`);

const hook = (over: Partial<CompatRegistration> = {}): CompatRegistration => ({
  feed: 'ukrainealarm',
  sessionName: 'default',
  keyHash: 'a'.repeat(64),
  url: 'https://hooks.example.org/a',
  durable: true,
  createdAtMs: 1000,
  ...over,
});

describe('SqliteCompatWebhookStore', () => {
  it('keeps registrations across a reopen, one per feed, session and key, oldest first', () => {
    const dir = freshDir();
    let db = openDatabase({ dir });
    let store = new SqliteCompatWebhookStore(db);
    store.save(hook());
    store.save(hook({ sessionName: 'drill-1', createdAtMs: 2000, durable: true }));
    store.save(hook({ keyHash: 'b'.repeat(64), createdAtMs: 3000, durable: false, sessionName: 's-1' }));
    store.save(hook({ feed: 'other-feed', createdAtMs: 500 }));
    db.close();

    db = openDatabase({ dir });
    store = new SqliteCompatWebhookStore(db);
    expect(store.list('ukrainealarm')).toEqual([hook(), hook({ sessionName: 'drill-1', createdAtMs: 2000 }), hook({ keyHash: 'b'.repeat(64), createdAtMs: 3000, durable: false, sessionName: 's-1' })]);
    expect(store.list('other-feed')).toEqual([hook({ feed: 'other-feed', createdAtMs: 500 })]);
    expect(store.list('nobody')).toEqual([]);
    db.close();
  });

  it('changes the URL of a registration saved again under the same key (a PATCH), keeping when it was made', () => {
    const db = openDatabase({ dir: freshDir() });
    const store = new SqliteCompatWebhookStore(db);
    store.save(hook());
    store.save(hook({ url: 'https://hooks.example.org/b', createdAtMs: 9000 }));
    expect(store.list('ukrainealarm')).toEqual([hook({ url: 'https://hooks.example.org/b' })]);
    db.close();
  });

  it('removes exactly the named registration and says whether there was one', () => {
    const db = openDatabase({ dir: freshDir() });
    const store = new SqliteCompatWebhookStore(db);
    store.save(hook());
    store.save(hook({ keyHash: 'b'.repeat(64) }));
    store.save(hook({ sessionName: 'drill-1' }));
    expect(store.remove('ukrainealarm', 'default', 'a'.repeat(64))).toBe(true);
    expect(store.remove('ukrainealarm', 'default', 'a'.repeat(64))).toBe(false);
    expect(store.remove('other-feed', 'drill-1', 'a'.repeat(64))).toBe(false);
    expect(store.list('ukrainealarm').map((r) => `${r.sessionName}/${r.keyHash[0]}`)).toEqual(['default/b', 'drill-1/a']);
    db.close();
  });

  it('upgrades a database of the first webhook schema, keeping the registrations and deliveries already there', () => {
    const dir = freshDir();
    let db = openDatabase({ dir });
    migrate(db, 'webhooks', WEBHOOK_MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO webhook_registrations (id, session_id, url, secret, token_hash, created_at) VALUES ('wh_1', 's1', 'http://127.0.0.1:9/x', 'secret', 'h', 1)").run();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'compat_webhooks'").get()).toBeUndefined();
    db.close();

    db = openDatabase({ dir });
    const compat = new SqliteCompatWebhookStore(db);
    compat.save(hook());
    expect(compat.list('ukrainealarm')).toHaveLength(1);
    expect(new SqliteWebhookStore(db).registrations('s1').map((r) => r.id)).toEqual(['wh_1']);
    expect(db.prepare("SELECT version FROM schema_migrations WHERE store = 'webhooks' ORDER BY version").all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    db.close();
  });
});
