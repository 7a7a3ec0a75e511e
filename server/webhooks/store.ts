/**
 * Where webhook registrations, pending deliveries and the delivery log live, so that a restart
 * loses none of them. An interface with a SQLite implementation on the embedded database (its
 * own tables and migrations, store name `webhooks`); a PostgreSQL one would sit beside it.
 *
 * Every write is one small transaction: a delivery is recorded before it is first attempted,
 * and each attempt is recorded with the delivery's new state in the same commit, so after a
 * crash a delivery is either done or still pending (then sent again with the same idempotency
 * key: a receiver that keys on it records it once).
 */
import { z } from 'zod';
import { migrate, type Database, type Migration } from '../storage/database.ts';

/** A webhook registration: stored here, and shared through Redis with the node that takes a session over. */
export const registrationSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  url: z.string(),
  secret: z.string(),
  /** SHA-256 of the instructor token that registered it: reads the log after a restart too. */
  tokenHash: z.string(),
  createdAtMs: z.number(),
});
export type Registration = Readonly<z.infer<typeof registrationSchema>>;

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** Also the idempotency key the receiver sees. */
  readonly id: string;
  readonly webhookId: string;
  readonly url: string;
  /** Null: unsigned (the compatible feed's webhooks, which the real service does not sign). */
  readonly secret: string | null;
  readonly body: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAtMs: number;
  readonly createdAtMs: number;
}

export interface Attempt {
  readonly n: number;
  readonly atMs: number;
  /** HTTP status, or null when no answer came (refused, timed out). */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface WebhookStore {
  register(registration: Registration): void;
  registrations(sessionId: string): Registration[];
  registration(id: string): Registration | undefined;
  remove(id: string): boolean;
  /** Adds a pending delivery; false when one with this id exists already. */
  enqueue(delivery: Omit<Delivery, 'state' | 'attempts'>): boolean;
  pendingCount(webhookId: string): number;
  /** Pending deliveries due at `nowMs`, oldest first. */
  due(nowMs: number, limit: number): Delivery[];
  /**
   * Takes up to `limit` due deliveries for this process: they are not due again, for anyone,
   * before `untilMs` (when an attempt that died with its process is made again). Processes that
   * share the database (`serve --workers`) never send one delivery at the same time.
   */
  claim(nowMs: number, limit: number, untilMs: number): Delivery[];
  /** Frees every claim: for a process that alone uses the database, at start (its claims died with it). */
  releaseClaims(): void;
  /** Records an attempt and the delivery's next state (nextAtMs for a retry). */
  recordAttempt(deliveryId: string, attempt: Attempt, next: { state: DeliveryState; nextAtMs: number }): void;
  /** The newest deliveries of a webhook with their attempts. */
  log(webhookId: string, limit: number): Array<Delivery & { attemptLog: Attempt[] }>;
}

export const WEBHOOK_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'webhook registrations, deliveries and attempts',
    up: (db) =>
      db.exec(`
        CREATE TABLE webhook_registrations (
          id TEXT PRIMARY KEY, session_id TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
          token_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX webhook_registrations_session ON webhook_registrations (session_id);
        CREATE TABLE webhook_deliveries (
          id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, url TEXT NOT NULL, secret TEXT, body TEXT NOT NULL,
          state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
        CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, created_at);
        CREATE TABLE webhook_attempts (
          delivery_id TEXT NOT NULL, n INTEGER NOT NULL, at INTEGER NOT NULL, status INTEGER,
          latency_ms INTEGER NOT NULL, error TEXT, PRIMARY KEY (delivery_id, n));
      `),
  },
  {
    version: 2,
    description: "the compatible feeds' webhook registrations (compat-store.ts)",
    up: (db) =>
      db.exec(`
        CREATE TABLE compat_webhooks (
          feed TEXT NOT NULL, session_name TEXT NOT NULL, key_hash TEXT NOT NULL, url TEXT NOT NULL,
          durable INTEGER NOT NULL, created_at_ms INTEGER NOT NULL,
          PRIMARY KEY (feed, session_name, key_hash));
      `),
  },
  {
    version: 3,
    description: 'deliveries claimed by the process sending them (claimed_until), apart from their retry time',
    up: (db) => db.exec('ALTER TABLE webhook_deliveries ADD COLUMN claimed_until INTEGER'),
  },
];

type Row = Record<string, unknown>;
const registrationOf = (r: Row): Registration => ({
  id: String(r.id),
  sessionId: String(r.session_id),
  url: String(r.url),
  secret: String(r.secret),
  tokenHash: String(r.token_hash),
  createdAtMs: Number(r.created_at),
});
const deliveryOf = (r: Row): Delivery => ({
  id: String(r.id),
  webhookId: String(r.webhook_id),
  url: String(r.url),
  secret: r.secret === null ? null : String(r.secret),
  body: String(r.body),
  state: r.state as DeliveryState,
  attempts: Number(r.attempts),
  nextAtMs: Number(r.next_at),
  createdAtMs: Number(r.created_at),
});

export class SqliteWebhookStore implements WebhookStore {
  private readonly q;

  constructor(private readonly db: Database) {
    migrate(db, 'webhooks', WEBHOOK_MIGRATIONS);
    this.q = {
      register: db.prepare('INSERT INTO webhook_registrations (id, session_id, url, secret, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      bySession: db.prepare('SELECT * FROM webhook_registrations WHERE session_id = ? ORDER BY created_at'),
      byId: db.prepare('SELECT * FROM webhook_registrations WHERE id = ?'),
      remove: db.prepare('DELETE FROM webhook_registrations WHERE id = ?'),
      dropPending: db.prepare("UPDATE webhook_deliveries SET state = 'failed' WHERE webhook_id = ? AND state = 'pending'"),
      enqueue: db.prepare("INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, url, secret, body, state, attempts, next_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)"),
      pending: db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND state = 'pending'"),
      due: db.prepare("SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, created_at, id LIMIT ?"),
      claim: db.prepare(
        "UPDATE webhook_deliveries SET claimed_until = @until WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY next_at, created_at, id LIMIT @limit) RETURNING *",
      ),
      releaseClaims: db.prepare("UPDATE webhook_deliveries SET claimed_until = NULL WHERE state = 'pending' AND claimed_until IS NOT NULL"),
      attempt: db.prepare('INSERT OR REPLACE INTO webhook_attempts (delivery_id, n, at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)'),
      advance: db.prepare('UPDATE webhook_deliveries SET state = ?, attempts = ?, next_at = ?, claimed_until = NULL WHERE id = ?'),
      log: db.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
      attempts: db.prepare('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY n'),
    };
  }

  register(r: Registration): void {
    this.q.register.run(r.id, r.sessionId, r.url, r.secret, r.tokenHash, r.createdAtMs);
  }

  registrations(sessionId: string): Registration[] {
    return (this.q.bySession.all(sessionId) as Row[]).map(registrationOf);
  }

  registration(id: string): Registration | undefined {
    const row = this.q.byId.get(id) as Row | undefined;
    return row && registrationOf(row);
  }

  remove(id: string): boolean {
    return this.db.transaction(() => {
      this.q.dropPending.run(id);
      return this.q.remove.run(id).changes > 0;
    })();
  }

  enqueue(d: Omit<Delivery, 'state' | 'attempts'>): boolean {
    return this.q.enqueue.run(d.id, d.webhookId, d.url, d.secret, d.body, d.nextAtMs, d.createdAtMs).changes > 0;
  }

  pendingCount(webhookId: string): number {
    return Number((this.q.pending.get(webhookId) as Row).n);
  }

  due(nowMs: number, limit: number): Delivery[] {
    return (this.q.due.all(nowMs, limit) as Row[]).map(deliveryOf);
  }

  releaseClaims(): void {
    this.q.releaseClaims.run();
  }

  claim(nowMs: number, limit: number, untilMs: number): Delivery[] {
    const rows = this.q.claim.all({ until: untilMs, now: nowMs, limit }) as Row[];
    return rows.map(deliveryOf).sort((a, b) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : 1));
  }

  recordAttempt(deliveryId: string, a: Attempt, next: { state: DeliveryState; nextAtMs: number }): void {
    this.db.transaction(() => {
      this.q.attempt.run(deliveryId, a.n, a.atMs, a.status, Math.round(a.latencyMs), a.error);
      this.q.advance.run(next.state, a.n, next.nextAtMs, deliveryId);
    })();
  }

  log(webhookId: string, limit: number): Array<Delivery & { attemptLog: Attempt[] }> {
    return (this.q.log.all(webhookId, limit) as Row[]).map((row) => ({
      ...deliveryOf(row),
      attemptLog: (this.q.attempts.all(row.id) as Row[]).map((a) => ({
        n: Number(a.n),
        atMs: Number(a.at),
        status: a.status === null ? null : Number(a.status),
        latencyMs: Number(a.latency_ms),
        error: a.error === null ? null : String(a.error),
      })),
    }));
  }
}
