/**
 * Sends webhook deliveries: the session's alert changes, signed, and the compatible feed's
 * webhooks, unsigned, through the same queue. Each delivery is stored before it is attempted;
 * a failure (no answer within the timeout, or a status other than 2xx) is tried again after
 * `base * 2^(attempt-1)`, scaled by a random factor in [0.5, 1) (jitter: receivers that fail
 * together do not all come back at once), capped at `maxDelayMs`, up to `maxAttempts`; a 410
 * stops at once. At the defaults (1 s, 8 attempts) a delivery is given up after about 1–2 min.
 *
 * The server makes these requests itself, so targets are narrow: http and https only, no user
 * info in the URL, redirects not followed, `timeoutMs` per attempt, bodies up to `maxBodyBytes`,
 * and with `allowedHosts` only those hosts.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError } from '../contract/errors.ts';
import { ATTEMPT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../contract/webhooks.ts';
import type { Attempt, Delivery, WebhookStore } from './store.ts';

export interface DispatcherOptions {
  readonly store: WebhookStore;
  /** Hosts deliveries may go to (`WEBHOOK_ALLOWED_HOSTS`); absent or empty: any. */
  readonly allowedHosts?: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxAttempts?: number;
  readonly pollMs?: number;
  readonly concurrency?: number;
  /**
   * Other processes send from the same database (`serve --workers`): claims left at start may be
   * theirs and are left to lapse. Otherwise this process alone sends, and claims it finds at start
   * died with its previous life: they are freed, so what was cut short is sent again at once.
   */
  readonly sharedDatabase?: boolean;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly logger?: Logger;
}

export const DEFAULT_DELIVERY = { timeoutMs: 5000, maxBodyBytes: 64 * 1024, baseDelayMs: 1000, maxDelayMs: 10 * 60_000, maxAttempts: 8, pollMs: 200, concurrency: 8 };

/** Checks a target URL; throws `invalid_request` saying why it is refused. */
export function checkTarget(raw: string, allowedHosts: readonly string[] = []): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError('invalid_request', 'the webhook URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalid_request', 'webhooks go to http or https URLs only');
  if (url.username || url.password) throw new ApiError('invalid_request', 'a webhook URL may not carry a user name or password; use the secret');
  if (allowedHosts.length > 0 && !allowedHosts.includes(url.hostname.toLowerCase())) {
    throw new ApiError('forbidden', `this server delivers webhooks only to: ${allowedHosts.join(', ')}`);
  }
  return url;
}

/** The wait before attempt `n + 1` after attempt `n` failed: doubling from `baseMs`, capped, scaled by [0.5, 1). */
export function retryDelayMs(n: number, baseMs: number, maxMs: number, random: number): number {
  return Math.min(maxMs, baseMs * 2 ** (n - 1)) * (0.5 + random / 2);
}

export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A claimed delivery becomes due again this long after its attempt's timeout. */
const CLAIM_MARGIN_MS = 5000;

export class WebhookDispatcher {
  private readonly o: typeof DEFAULT_DELIVERY;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.o = { ...DEFAULT_DELIVERY, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => k in DEFAULT_DELIVERY && v !== undefined)) };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get store(): WebhookStore {
    return this.options.store;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get allowedHosts(): readonly string[] {
    return this.options.allowedHosts ?? [];
  }

  /** Starts sending what is due, pending deliveries from before a restart included. */
  start(): void {
    if (!this.options.sharedDatabase && !this.timer) this.store.releaseClaims();
    this.stopped = false;
    this.timer ??= setInterval(() => this.pump(), this.o.pollMs).unref();
    this.pump();
  }

  /** Stops taking new work and waits for attempts in flight (each ends within the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Queues a delivery (stored at once); false when it was queued before or is refused. */
  enqueue(delivery: { id: string; webhookId: string; url: string; secret: string | null; body: string }): boolean {
    if (this.stopped) return false; // shutting down: the database may be closed already
    if (Buffer.byteLength(delivery.body) > this.o.maxBodyBytes) {
      this.options.logger?.warn({ webhook: delivery.webhookId }, 'webhook body over the size cap; not sent');
      return false;
    }
    const now = this.now();
    const added = this.store.enqueue({ ...delivery, nextAtMs: now, createdAtMs: now });
    if (added && !this.stopped && this.timer) queueMicrotask(() => this.pump());
    return added;
  }

  private pump(): void {
    if (this.stopped) return;
    const free = this.o.concurrency - this.inFlight.size;
    if (free <= 0) return;
    // Claimed until well after the attempt's timeout: an attempt cut short by a crash is made again.
    const now = this.now();
    for (const delivery of this.store.claim(now, free, now + this.o.timeoutMs + CLAIM_MARGIN_MS)) {
      if (this.inFlight.has(delivery.id)) continue;
      const work = this.attempt(delivery).finally(() => this.inFlight.delete(delivery.id));
      this.inFlight.set(delivery.id, work);
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    const n = d.attempts + 1;
    const started = this.now();
    const t0 = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    let refused = false;
    try {
      checkTarget(d.url, this.allowedHosts);
      const timestamp = String(Math.floor(started / 1000));
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'air-raid-sim-webhooks',
        [IDEMPOTENCY_HEADER]: d.id,
        [ATTEMPT_HEADER]: String(n),
      };
      if (d.secret !== null) {
        headers[TIMESTAMP_HEADER] = timestamp;
        headers[SIGNATURE_HEADER] = sign(d.secret, timestamp, d.body);
      }
      const response = await fetch(d.url, { method: 'POST', headers, body: d.body, redirect: 'manual', signal: AbortSignal.timeout(this.o.timeoutMs) });
      status = response.status;
      await response.body?.cancel();
    } catch (e) {
      refused = e instanceof ApiError;
      error = e instanceof ApiError ? e.message : (e as Error).name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : 'the receiver could not be reached';
    }
    const attempt: Attempt = { n, atMs: started, status, latencyMs: performance.now() - t0, error };
    const ok = status !== null && status >= 200 && status < 300;
    const final = ok || refused || status === 410 || n >= this.o.maxAttempts;
    const delay = retryDelayMs(n, this.o.baseDelayMs, this.o.maxDelayMs, this.random());
    this.store.recordAttempt(d.id, attempt, ok ? { state: 'delivered', nextAtMs: started } : final ? { state: 'failed', nextAtMs: started } : { state: 'pending', nextAtMs: this.now() + delay });
  }
}
