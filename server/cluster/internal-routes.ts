/**
 * The calls one node makes to another that runs a session (remote.ts): admit a client, send it
 * what it lacks, run its messages, count it in and out. Every rule is applied here, through the
 * same port that serves the node's own clients (transport/socket/port.ts, sessions/rules.ts).
 *
 * Only nodes of the same Redis may call: each request carries the secret they share, compared in
 * constant time; anything else is answered as an unknown endpoint.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { ApiError, parseOr } from '../contract/errors.ts';
import { handshakeSchema } from '../contract/socket.ts';
import { actorOf, actorRefSchema, CALL_NAMES, type ActorRef } from '../sessions/calls.ts';
import type { SessionRegistry } from '../sessions/registry.ts';
import { admit } from '../sessions/rules.ts';
import type { Session } from '../sessions/session.ts';
import type { LoggedMessage } from '../sessions/item-log.ts';
import { localPort } from '../transport/socket/port.ts';
import { NODE_HEADER } from './remote.ts';

const admitSchema = z.strictObject({ handshake: handshakeSchema, address: z.string().max(100) });
const openingSchema = z.strictObject({ actor: actorRefSchema, lastSeq: z.number().int().min(0).optional() });
const callSchema = z.strictObject({ actor: actorRefSchema, name: z.enum(CALL_NAMES), payload: z.unknown() });
/** `enter` and `leave`: a client of another node counted in or out. */
const presenceSchema = z.strictObject({ actor: actorRefSchema });

export interface InternalOptions {
  readonly registry: SessionRegistry;
  /** This node's id: a client admitted here is counted here (see `reenter`). */
  readonly nodeId: string;
  readonly secret: string;
  /** Items this node's sessions missed before it took them over (the shared log). */
  readonly missedSince: (sessionId: string, lastSeq: number) => Promise<LoggedMessage[] | undefined>;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function internalRoutes(options: InternalOptions): Router {
  const router = express.Router();
  router.use((req, _res, next) => next(sameSecret(req.get(NODE_HEADER), options.secret) ? undefined : new ApiError('not_found', `no such endpoint: ${req.method} ${req.path}`)));
  router.use(express.json({ limit: '256kb' }));
  const owned = (id: string): Session => {
    const session = options.registry.get(id);
    if (!session) throw ApiError.busy('session_moving', `session ${id} does not run on this node`, 1);
    return session;
  };
  // The client of another node, served here exactly as a client of this node is.
  const portOf = (id: string, actor: ActorRef) => {
    const session = owned(id);
    return localPort({ session, actor: actorOf(session, actor), isNew: false }, options.missedSince);
  };

  router.post('/sessions/:id/admit', async (req, res) => {
    const session = owned(req.params.id);
    const body = parseOr(admitSchema, req.body, 'invalid_request', 'admit');
    const admission = await admit(body.handshake, options.registry, body.address);
    if (admission.session !== session) throw new ApiError('forbidden', 'the handshake names another session');
    const port = localPort(admission);
    port.enter();
    res.json({ countedBy: options.nodeId, actor: port.actor, ...(port.welcome ? { welcome: port.welcome } : {}) });
  });

  router.post('/sessions/:id/opening', async (req, res) => {
    const { actor, lastSeq } = parseOr(openingSchema, req.body, 'invalid_request', 'opening');
    res.json(await portOf(req.params.id, actor).opening(lastSeq));
  });

  router.post('/sessions/:id/call', async (req, res) => {
    const { actor, name, payload } = parseOr(callSchema, req.body, 'invalid_request', 'call');
    res.json(await portOf(req.params.id, actor).call(name, payload));
  });

  // A client connected elsewhere before this node took the session over: counted here again.
  router.post('/sessions/:id/enter', (req, res) => {
    portOf(req.params.id, parseOr(presenceSchema, req.body, 'invalid_request', 'enter').actor).enter();
    res.json({ ok: true });
  });

  router.post('/sessions/:id/leave', (req, res) => {
    portOf(req.params.id, parseOr(presenceSchema, req.body, 'invalid_request', 'leave').actor).leave();
    res.json({ ok: true });
  });
  return router;
}
