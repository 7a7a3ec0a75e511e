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
 */
import { createHash } from 'node:crypto';
import type { Session } from '../../sessions/session.ts';
import { alertWatcher, type AlertChange } from './watch.ts';
import type { FeedView } from './sessions.ts';

export const MAX_WEBHOOKS = 1000;
const MAX_QUEUED = 20;
const DELIVERY_TIMEOUT_MS = 5000;
/** How often a session with webhooks is looked at for changes. */
const WATCH_MS = 100;

export interface WebhookOptions {
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

interface Watch {
  readonly session: Session;
  /** URL by key. */
  readonly urls: Map<string, string>;
  readonly timer: NodeJS.Timeout;
}

export class Webhooks {
  private readonly watches = new Map<string, Watch>();
  private readonly queues = new Map<string, { tail: Promise<void>; waiting: number }>();
  private count = 0;
  /** Changes sent so far: part of each delivery's idempotency key. */
  private changes = 0;

  constructor(private readonly options: WebhookOptions) {}

  /** Registers or replaces the key's URL in a session; false when the server holds too many. */
  set(session: Session, key: string, url: string): boolean {
    const watch = this.watches.get(session.id);
    if (!watch?.urls.has(key) && this.count >= MAX_WEBHOOKS) return false;
    const target = watch ?? this.watch(session);
    if (!target.urls.has(key)) this.count += 1;
    target.urls.set(key, url);
    return true;
  }

  remove(session: Session, key: string): void {
    const watch = this.watches.get(session.id);
    if (!watch?.urls.delete(key)) return;
    this.count -= 1;
    if (watch.urls.size === 0) this.stop(watch);
  }

  private watch(session: Session): Watch {
    const look = alertWatcher(session, this.options.codes, (changes, view) => {
      if (this.options.deliver === false) return;
      for (const change of changes) {
        const body = JSON.stringify(this.options.body(view, change));
        const n = ++this.changes;
        for (const [key, url] of watch.urls) {
          const webhookId = `ukrainealarm.${session.id}.${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
          if (this.options.queue) this.options.queue({ id: `${webhookId}.${n}`, webhookId, url, body });
          else this.send(url, body);
        }
      }
    });
    const watch: Watch = {
      session,
      urls: new Map(),
      timer: setInterval(() => (session.isDisposed || this.options.isShuttingDown?.() ? this.stop(watch) : look()), WATCH_MS).unref(),
    };
    this.watches.set(session.id, watch);
    return watch;
  }

  private stop(watch: Watch): void {
    clearInterval(watch.timer);
    this.count -= watch.urls.size;
    watch.urls.clear();
    this.watches.delete(watch.session.id);
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
