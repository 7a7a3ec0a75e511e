/**
 * ukrainealarm webhooks: an app registers a URL (`POST /api/v3/webhook` `{ webHookUrl }`, changed
 * with `PATCH`, removed with `DELETE`) and is sent, for every alert that starts or ends in the
 * session, the region's `AlertRegionModel` as a JSON `POST`, in order.
 *
 * The server makes these requests itself, so they are kept narrow: http(s) only, no redirects
 * followed, 5 s per delivery, one URL per key and session, at most `MAX_WEBHOOKS` in all, and at
 * most `MAX_QUEUED` deliveries waiting per URL (a receiver that does not answer loses the newest
 * rather than piling them up). `COMPAT_WEBHOOKS=off` keeps registration but sends nothing, for a
 * server whose network should not be reached from it on a stranger's say-so.
 *
 * Registrations last across restarts (compat-store.ts): each is saved as it is made, changed or
 * removed, under the session's name in the path and the SHA-256 of the key, and `restore()` at
 * startup attaches each to its session found by that name again: `default` to the default
 * session (created anew, with a new id), a drill's id to the resumed drill. One whose session is
 * not back is reported and then
 * - kept when its session can come back (a drill: one not resumed because its scenario is not
 *   loaded stays in the drill store for a later start, and its webhooks stay with it; so do,
 *   for now, those of a drill its instructor deleted, a row each, reported at every start);
 * - dropped otherwise (an ordinary session ends with its process and its id is never given
 *   again, so the row could only pile up).
 * A webhook counts as a user of the default session: that session is not closed as idle while
 * one is registered on it (closing would restart the night under the webhook at the next
 * re-creation), and if it is closed anyway its webhooks move to the default session created in
 * its place. Delivery ids (the receiver's idempotency keys) carry a random tag of the run, as
 * the count of changes starts again at each start.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Session } from '../../sessions/session.ts';
import type { CompatWebhookStore } from '../../webhooks/compat-store.ts';
import { hashToken as hashKey } from '../../webhooks/session-webhooks.ts';
import { alertWatcher, type AlertChange } from './watch.ts';
import { DEFAULT_SESSION, type CompatSessions, type FeedView } from './sessions.ts';

export const MAX_WEBHOOKS = 1000;
const MAX_QUEUED = 20;
const DELIVERY_TIMEOUT_MS = 5000;
/** How often a session with webhooks is looked at for changes. */
const WATCH_MS = 100;
/** Sessions named in one line of the restore report, at most. */
const NAMED_IN_LOG = 20;

export interface WebhookOptions {
  /** The feed's path prefix: part of each stored row and delivery id. */
  readonly feed: string;
  /** Finds a session by the name its path gives (for `restore` and a re-created default session). */
  readonly sessions: CompatSessions;
  /** Where registrations are kept across restarts; absent: in memory only. */
  readonly store?: CompatWebhookStore;
  /** Send deliveries (default); false: registration only. */
  readonly deliver?: boolean;
  readonly isShuttingDown?: () => boolean;
  /** Regions the feed covers (ISO codes). */
  readonly codes: readonly string[];
  /** The body for one change, as the feed shapes it. */
  readonly body: (view: FeedView, change: AlertChange) => unknown;
  /**
   * The server's webhook queue (stored, retried with backoff, logged); absent: one direct try.
   * `id` is the delivery's idempotency key.
   */
  readonly queue?: (delivery: { id: string; webhookId: string; url: string; body: string }) => void;
}

export interface RestoreReport {
  readonly attached: number;
  /** Not attached (their session is not back, or the server holds too many), left in the store. */
  readonly kept: number;
  /** Removed from the store: their session cannot come back. */
  readonly dropped: number;
}

interface Watch {
  /** The session's name in the path: `default` or its id. */
  readonly name: string;
  readonly session: Session;
  /** URL by the key's hash. */
  readonly urls: Map<string, string>;
  readonly timer: NodeJS.Timeout;
}

export class Webhooks {
  /** By session name. */
  private readonly watches = new Map<string, Watch>();
  private readonly queues = new Map<string, { tail: Promise<void>; waiting: number }>();
  private count = 0;
  /** Changes sent so far: part of each delivery's idempotency key. */
  private changes = 0;
  /** This run's tag in delivery ids: `changes` starts again at every start. */
  private readonly run = randomBytes(4).toString('hex');

  constructor(private readonly options: WebhookOptions) {}

  /** Registers or replaces the key's URL on the session `name`; false when the server holds too many. */
  set(name: string, session: Session, key: string, url: string): boolean {
    const keyHash = hashKey(key);
    if (!this.watches.get(name)?.urls.has(keyHash) && this.count >= MAX_WEBHOOKS) return false;
    const durable = name === DEFAULT_SESSION || session.kind === 'drill';
    this.options.store?.save({ feed: this.options.feed, sessionName: name, keyHash, url, durable, createdAtMs: Date.now() });
    this.attach(name, session, keyHash, url);
    return true;
  }

  remove(name: string, key: string): void {
    const keyHash = hashKey(key);
    this.options.store?.remove(this.options.feed, name, keyHash);
    const watch = this.watches.get(name);
    if (!watch?.urls.delete(keyHash)) return;
    this.count -= 1;
    if (watch.urls.size === 0) this.stop(watch);
  }

  /** Attaches the stored registrations to their sessions; once, at startup, after drills are resumed. */
  restore(logger?: Pick<Logger, 'info' | 'warn'>): RestoreReport {
    const { feed, store, sessions } = this.options;
    const kept: string[] = [];
    const dropped: string[] = [];
    let attached = 0;
    for (const r of store?.list(feed) ?? []) {
      const session = sessions.find(r.sessionName);
      if (session && this.count < MAX_WEBHOOKS) {
        this.attach(r.sessionName, session, r.keyHash, r.url);
        attached += 1;
      } else if (session || r.durable) kept.push(r.sessionName);
      else {
        store!.remove(feed, r.sessionName, r.keyHash);
        dropped.push(r.sessionName);
      }
    }
    const named = (list: string[]) => [...new Set(list)].slice(0, NAMED_IN_LOG);
    if (attached > 0) logger?.info({ feed, webhooks: attached }, `${feed} webhooks restored from the data folder`);
    if (kept.length > 0) logger?.warn({ feed, webhooks: kept.length, sessions: named(kept) }, `${feed} webhooks not attached (their session is not running, or too many) and kept for a later start`);
    if (dropped.length > 0) logger?.warn({ feed, webhooks: dropped.length, sessions: named(dropped) }, `${feed} webhooks dropped: their sessions ended with the previous run`);
    return { attached, kept: kept.length, dropped: dropped.length };
  }

  private attach(name: string, session: Session, keyHash: string, url: string): void {
    const watch = this.watchOf(name, session);
    if (!watch.urls.has(keyHash)) this.count += 1;
    watch.urls.set(keyHash, url);
  }

  /** The watch of `name` on `session`; one on an earlier session of that name hands its URLs over. */
  private watchOf(name: string, session: Session): Watch {
    const earlier = this.watches.get(name);
    if (earlier?.session === session) return earlier;
    const watch = this.watch(name, session);
    if (earlier) {
      clearInterval(earlier.timer);
      for (const [keyHash, url] of earlier.urls) watch.urls.set(keyHash, url);
    }
    return watch;
  }

  private watch(name: string, session: Session): Watch {
    const look = alertWatcher(session, this.options.codes, (changes, view) => {
      if (this.options.deliver === false) return;
      for (const change of changes) {
        const body = JSON.stringify(this.options.body(view, change));
        const n = ++this.changes;
        for (const [keyHash, url] of watch.urls) {
          const webhookId = `${this.options.feed}.${name}.${keyHash.slice(0, 12)}`;
          if (this.options.queue) this.options.queue({ id: `${webhookId}.${this.run}.${n}`, webhookId, url, body });
          else this.send(url, body);
        }
      }
    });
    const watch: Watch = { name, session, urls: new Map(), timer: setInterval(() => this.tick(watch, look), WATCH_MS).unref() };
    this.watches.set(name, watch);
    return watch;
  }

  private tick(watch: Watch, look: () => void): void {
    if (this.options.isShuttingDown?.()) return this.stop(watch);
    if (watch.session.isDisposed) {
      // Closed while the server runs: only the default session has a successor (its store rows stay either way).
      const next = watch.name === DEFAULT_SESSION ? this.options.sessions.find(DEFAULT_SESSION) : undefined;
      if (next) this.watchOf(watch.name, next);
      else this.stop(watch);
      return;
    }
    if (watch.name === DEFAULT_SESSION) watch.session.touch();
    look();
  }

  /** Stops watching (in memory only: what is stored stays for a later start). */
  private stop(watch: Watch): void {
    clearInterval(watch.timer);
    if (this.watches.get(watch.name) !== watch) return;
    this.count -= watch.urls.size;
    watch.urls.clear();
    this.watches.delete(watch.name);
  }

  /** One URL's deliveries go one after another, so they arrive in the order of the changes. */
  private send(url: string, body: string): void {
    let queue = this.queues.get(url);
    if (!queue) {
      queue = { tail: Promise.resolve(), waiting: 0 };
      this.queues.set(url, queue);
    }
    if (queue.waiting >= MAX_QUEUED) return;
    queue.waiting += 1;
    const q = queue;
    q.tail = q.tail
      .then(() => post(url, body))
      .finally(() => {
        q.waiting -= 1;
        if (q.waiting === 0 && this.queues.get(url) === q) this.queues.delete(url);
      });
  }
}

async function post(url: string, body: string): Promise<void> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
  } catch {
    // A receiver that is down or slow misses this delivery; the next change is tried afresh.
  }
}
