/**
 * Where the compatible feeds' webhook registrations (ukrainealarm's `POST /api/v3/webhook`) are
 * kept, so that an app that registered once is still called after the server restarts: their
 * deliveries already go through the stored queue (store.ts), and now the registrations do too.
 *
 * A row names its session as the feed's path does (`default`, or a session id), because that is
 * what comes back after a restart: the default session is created anew with a new id, a drill is
 * resumed under its old one. The app's key is kept only as its SHA-256 hash: the key is a
 * credential of the app's, and the hash is all that matching a later `PATCH` or `DELETE` needs.
 * The table is the `webhooks` store's (migration 2 in store.ts), on the same database.
 */
import { migrate, type Database } from '../storage/database.ts';
import { WEBHOOK_MIGRATIONS } from './store.ts';

export interface CompatRegistration {
  /** The feed's path prefix, e.g. `ukrainealarm`. */
  readonly feed: string;
  /** The session as the feed's path names it: `default` or a session id. */
  readonly sessionName: string;
  /** SHA-256 (hex) of the key that registered it. */
  readonly keyHash: string;
  readonly url: string;
  /** Whether the session can come back after a restart (the default session, a drill). */
  readonly durable: boolean;
  readonly createdAtMs: number;
}

export interface CompatWebhookStore {
  /** Adds a registration, or changes the URL of the one with the same feed, session and key. */
  save(registration: CompatRegistration): void;
  /** False when there was none. */
  remove(feed: string, sessionName: string, keyHash: string): boolean;
  /** A feed's registrations, oldest first. */
  list(feed: string): CompatRegistration[];
}

type Row = Record<string, unknown>;

export class SqliteCompatWebhookStore implements CompatWebhookStore {
  private readonly q;

  constructor(db: Database) {
    migrate(db, 'webhooks', WEBHOOK_MIGRATIONS);
    this.q = {
      save: db.prepare(
        `INSERT INTO compat_webhooks (feed, session_name, key_hash, url, durable, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed, session_name, key_hash) DO UPDATE SET url = excluded.url, durable = excluded.durable`,
      ),
      remove: db.prepare('DELETE FROM compat_webhooks WHERE feed = ? AND session_name = ? AND key_hash = ?'),
      list: db.prepare('SELECT * FROM compat_webhooks WHERE feed = ? ORDER BY created_at_ms, session_name, key_hash'),
    };
  }

  save(r: CompatRegistration): void {
    this.q.save.run(r.feed, r.sessionName, r.keyHash, r.url, r.durable ? 1 : 0, r.createdAtMs);
  }

  remove(feed: string, sessionName: string, keyHash: string): boolean {
    return this.q.remove.run(feed, sessionName, keyHash).changes > 0;
  }

  list(feed: string): CompatRegistration[] {
    return (this.q.list.all(feed) as Row[]).map((r) => ({
      feed: String(r.feed),
      sessionName: String(r.session_name),
      keyHash: String(r.key_hash),
      url: String(r.url),
      durable: Number(r.durable) === 1,
      createdAtMs: Number(r.created_at_ms),
    }));
  }
}
