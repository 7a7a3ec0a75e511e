/**
 * `/api/sessions/:id/webhooks`: the instructor registers (`POST { url, secret? }`), lists,
 * removes (`DELETE /:hookId`) and reads the delivery log (`GET /:hookId/deliveries`). While the
 * session lives its instructor token is checked as everywhere; after it is gone (closed, or the
 * server restarted) the token that registered a webhook still lists it and reads its log.
 */
import express, { Router, type Request } from 'express';
import { ApiError, parseOr } from '../../contract/errors.ts';
import { registerWebhookSchema } from '../../contract/webhooks.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { Registration } from '../../webhooks/store.ts';
import type { SessionWebhooks } from '../../webhooks/session-webhooks.ts';
import { authorize } from '../../sessions/rules.ts';
import { actorOf } from './auth.ts';
import { declaredBodyLimit } from './errors.ts';

const BODY_LIMIT = 8 * 1024;
/** Deliveries the log shows, newest first. */
const LOG_LIMIT = 200;

const iso = (ms: number) => new Date(ms).toISOString();
const shown = (r: Registration) => ({ id: r.id, sessionId: r.sessionId, url: r.url, createdAt: iso(r.createdAtMs) });

export function webhookRoutes(registry: SessionRegistry, webhooks: SessionWebhooks): Router {
  const router = Router({ mergeParams: true });
  router.use(declaredBodyLimit(BODY_LIMIT));
  const json = express.json({ limit: BODY_LIMIT });

  /** The session's instructor; for reads, also whoever registered its webhooks once it is gone. */
  const allowed = (req: Request<{ id: string }>, reading: boolean): string => {
    const session = registry.get(req.params.id);
    if (session) {
      authorize(actorOf(req, session), 'webhooks', session);
      return session.id;
    }
    const token = /^Bearer\s+(\S{1,256})$/i.exec(req.get('authorization') ?? '')?.[1];
    if (reading && token && webhooks.registeredBy(req.params.id, token)) return req.params.id;
    throw new ApiError('session_not_found', `no session has the id "${req.params.id}"`);
  };

  router.post('/', json, (req: Request<{ id: string }>, res) => {
    const sessionId = allowed(req, false);
    const input = parseOr(registerWebhookSchema, req.body ?? {}, 'invalid_request', 'webhook');
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization')!)![1]!;
    const { registration, secret } = webhooks.register(sessionId, token, input);
    res.status(201).location(`/api/sessions/${sessionId}/webhooks/${registration.id}`).json({ ...shown(registration), secret });
  });
  router.get('/', (req: Request<{ id: string }>, res) => {
    res.json({ webhooks: webhooks.list(allowed(req, true)).map(shown) });
  });
  router.delete('/:hookId', (req: Request<{ id: string; hookId: string }>, res) => {
    webhooks.remove(allowed(req, false), req.params.hookId);
    res.status(204).end();
  });
  router.get('/:hookId/deliveries', (req: Request<{ id: string; hookId: string }>, res) => {
    const hook = webhooks.require(allowed(req, true), req.params.hookId);
    const deliveries = webhooks.log(hook.id, LOG_LIMIT).map((d) => ({
      id: d.id,
      state: d.state,
      createdAt: iso(d.createdAtMs),
      nextAttemptAt: d.state === 'pending' ? iso(d.nextAtMs) : null,
      attempts: d.attemptLog.map((a) => ({ n: a.n, at: iso(a.atMs), status: a.status, latencyMs: Math.round(a.latencyMs), error: a.error })),
    }));
    res.json({ deliveries });
  });
  return router;
}
