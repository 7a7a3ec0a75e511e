/**
 * The calls one node makes to another that runs a session (remote.ts): admit a client, send it
 * what it lacks, run its messages, count it gone. Every rule is applied here, by the same
 * functions that serve the node's own clients (sessions/calls.ts, sessions/rules.ts).
 *
 * Only nodes of the same Redis may call: each request carries the secret they share, compared in
 * constant time; anything else is answered as an unknown endpoint.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { ApiError, parseOr } from '../contract/errors.ts';
import { handshakeSchema } from '../contract/socket.ts';
import { actorOf, actorRefSchema, callSession, CALL_NAMES, openingFor, presence, refOf } from '../sessions/calls.ts';
import type { SessionRegistry } from '../sessions/registry.ts';
import { admit } from '../sessions/rules.ts';
import type { Session } from '../sessions/session.ts';
import type { LoggedMessage } from '../sessions/item-log.ts';
import { NODE_HEADER } from './remote.ts';

const admitSchema = z.strictObject({ handshake: handshakeSchema, address: z.string().max(100) });
const openingSchema = z.strictObject({ actor: actorRefSchema, lastSeq: z.number().int().min(0).optional() });
const callSchema = z.strictObject({ actor: actorRefSchema, name: z.enum(CALL_NAMES), payload: z.unknown() });
/** `enter` and `leave`: a client of another node counted in or out. */
const leaveSchema = z.strictObject({ actor: actorRefSchema });

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

  router.post('/sessions/:id/admit', async (req, res) => {
    const session = owned(req.params.id);
    const body = parseOr(admitSchema, req.body, 'invalid_request', 'admit');
    const admission = await admit(body.handshake, options.registry, body.address);
    if (admission.session !== session) throw new ApiError('forbidden', 'the handshake names another session');
    const participant = admission.actor.participant;
    presence(session, participant, 1);
    res.json({
      countedBy: options.nodeId,
      actor: { ...refOf(admission.actor), ...(participant ? { region: participant.region } : {}) },
      ...(admission.isNew && participant ? { welcome: { participantId: participant.participantId, participantToken: participant.token } } : {}),
    });
  });

  router.post('/sessions/:id/opening', async (req, res) => {
    const session = owned(req.params.id);
    const { actor, lastSeq } = parseOr(openingSchema, req.body, 'invalid_request', 'opening');
    let missed = lastSeq === undefined ? undefined : session.missedSince(lastSeq);
    if (!missed && lastSeq !== undefined) missed = await options.missedSince(session.id, lastSeq);
    res.json(openingFor(session, actorOf(session, actor), missed));
  });

  router.post('/sessions/:id/call', async (req, res) => {
    const session = owned(req.params.id);
    const { actor, name, payload } = parseOr(callSchema, req.body, 'invalid_request', 'call');
    res.json(await callSession(session, actorOf(session, actor), name, payload));
  });

  // A client connected elsewhere before this node took the session over: counted here again.
  router.post('/sessions/:id/enter', (req, res) => {
    const session = owned(req.params.id);
    const { actor } = parseOr(leaveSchema, req.body, 'invalid_request', 'enter');
    presence(session, actorOf(session, actor).participant, 1);
    res.json({ ok: true });
  });

  router.post('/sessions/:id/leave', (req, res) => {
    const session = owned(req.params.id);
    const { actor } = parseOr(leaveSchema, req.body, 'invalid_request', 'leave');
    presence(session, actorOf(session, actor).participant, -1);
    res.json({ ok: true });
  });
  return router;
}
