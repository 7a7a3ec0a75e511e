/**
 * A session's webhooks: registrations by its instructor, and every alert change of the session
 * (an `alert.start` or `alert.end` it broadcasts) queued for each of them. Sits behind the
 * `SessionSink` seam as a tee, so sessions know nothing of it.
 *
 * Limits: `MAX_PER_SESSION` registrations; at most `MAX_PENDING` deliveries waiting per
 * registration (a receiver that is down for long loses the newest, and the log says so).
 * Registrations and the log outlive the session and the process (they are in the database);
 * the instructor token that registered a webhook still reads its log after a restart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../contract/errors.ts';
import type { WebhookPayload } from '../contract/webhooks.ts';
import { sameSecret } from '../sessions/participants.ts';
import type { SessionSink } from '../sessions/sink.ts';
import { checkTarget, type WebhookDispatcher } from './dispatcher.ts';
import type { Registration } from './store.ts';

export const MAX_PER_SESSION = 5;
export const MAX_PENDING = 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionWebhooks {
  /** Registrations by session, read from the store once. */
  private readonly cache = new Map<string, Registration[]>();
  /**
   * With several nodes: told of a session's registrations at each change, so that the node that
   * takes the session over can deliver them (`adopt`).
   */
  mirror: ((sessionId: string, registrations: readonly Registration[]) => void) | undefined;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly scenarioOf: (sessionId: string) => string | undefined,
  ) {}

  register(sessionId: string, token: string, input: { url: string; secret?: string | undefined }): { registration: Registration; secret: string } {
    checkTarget(input.url, this.dispatcher.allowedHosts);
    const existing = this.list(sessionId);
    if (existing.length >= MAX_PER_SESSION) throw new ApiError('quota_exceeded', `a session may have ${MAX_PER_SESSION} webhooks`);
    const secret = input.secret ?? randomBytes(24).toString('base64url');
    const registration: Registration = { id: `wh_${randomBytes(9).toString('base64url')}`, sessionId, url: input.url, secret, tokenHash: hashToken(token), createdAtMs: Date.now() };
    this.dispatcher.store.register(registration);
    this.cache.set(sessionId, [...existing, registration]);
    this.mirror?.(sessionId, this.list(sessionId));
    return { registration, secret };
  }

  list(sessionId: string): Registration[] {
    let list = this.cache.get(sessionId);
    if (!list) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(sessionId, (list = this.dispatcher.store.registrations(sessionId)));
    }
    return list;
  }

  /** The registration `id` of the session, or `not_found`. */
  require(sessionId: string, id: string): Registration {
    const found = this.list(sessionId).find((r) => r.id === id);
    if (!found) throw new ApiError('not_found', `this session has no webhook "${id}"`);
    return found;
  }

  remove(sessionId: string, id: string): void {
    this.require(sessionId, id);
    this.dispatcher.store.remove(id);
    this.cache.set(sessionId, this.list(sessionId).filter((r) => r.id !== id));
    this.mirror?.(sessionId, this.list(sessionId));
  }

  /** Registrations made on another node, for a session this node has taken over: kept here too. */
  adopt(sessionId: string, registrations: readonly Registration[]): void {
    const known = new Set(this.list(sessionId).map((r) => r.id));
    for (const registration of registrations) if (!known.has(registration.id)) this.dispatcher.store.register({ ...registration, sessionId });
    this.cache.delete(sessionId);
  }

  log(webhookId: string, limit: number) {
    return this.dispatcher.store.log(webhookId, limit);
  }

  /** Whether `token` registered one of the session's webhooks (for reads after the session is gone). */
  registeredBy(sessionId: string, token: string): boolean {
    const hash = hashToken(token);
    return this.list(sessionId).some((r) => sameSecret(r.tokenHash, hash));
  }

  /** A sink that passes everything to `inner` and queues the alert changes for the session's webhooks. */
  tee(inner: SessionSink): SessionSink {
    return {
      ...inner,
      events: (id, events) => {
        inner.events(id, events);
        if (this.dispatcher.isStopped) return;
        const hooks = this.list(id);
        if (hooks.length === 0) return;
        const scenarioId = this.scenarioOf(id) ?? '';
        for (const event of events) {
          if (event.type !== 'alert.start' && event.type !== 'alert.end') continue;
          for (const hook of hooks) {
            const key = `${hook.id}.${event.seq}`;
            if (this.dispatcher.store.pendingCount(hook.id) >= MAX_PENDING) continue;
            const payload: WebhookPayload = { id: key, type: event.type, sessionId: id, scenarioId, event };
            this.dispatcher.enqueue({ id: key, webhookId: hook.id, url: hook.url, secret: hook.secret, body: JSON.stringify(payload) });
          }
        }
      },
    };
  }
}
