/**
 * What a connected client may ask of its session, and what it is sent on connecting: one
 * function each, used by the socket transport for a session that runs in this process and by
 * the internal calls of another node whose client it is (cluster/internal-routes.ts). The rules
 * (rules.ts) are applied here, on the node that runs the session, whichever node the client is on.
 */
import { z } from 'zod';
import { ApiError, parseOr } from '../contract/errors.ts';
import { controlSchema, injectSchema, postSchema, type Roster, type Snapshot, type TraineeStatus } from '../contract/session.ts';
import { shelterSchema } from '../contract/socket.ts';
import type { LoggedMessage } from './item-log.ts';
import { authorize, type Actor } from './rules.ts';
import type { Session } from './session.ts';

export const CALL_NAMES = ['control', 'inject', 'shelter', 'post'] as const;
export type CallName = (typeof CALL_NAMES)[number];

/** An actor as another node names it: its role, and a trainee's id. */
export const actorRefSchema = z.strictObject({
  role: z.enum(['viewer', 'trainee', 'instructor']),
  participantId: z.string().min(1).max(64).optional(),
});
export type ActorRef = z.infer<typeof actorRefSchema>;

export function refOf(actor: Actor): ActorRef {
  return { role: actor.role, ...(actor.participant ? { participantId: actor.participant.participantId } : {}) };
}

/** The actor a reference names, on the node that runs the session. */
export function actorOf(session: Session, ref: ActorRef): Actor {
  if (ref.role !== 'trainee') return { role: ref.role };
  const participant = ref.participantId ? session.drill?.participants.get(ref.participantId) : undefined;
  if (!participant) throw new ApiError('forbidden', 'unknown participant');
  return { role: 'trainee', participant };
}

/** Runs one message of a connected client; the result is what its acknowledgement carries (inject and shelter once committed). */
export async function callSession(session: Session, actor: Actor, name: CallName, payload: unknown): Promise<object> {
  switch (name) {
    case 'control':
      authorize(actor, 'control', session);
      return { clock: session.control(parseOr(controlSchema, payload, 'invalid_control', 'control')) };
    case 'inject': {
      authorize(actor, 'inject', session);
      const { event } = parseOr(injectSchema, payload, 'invalid_request', 'inject: send { event: { type, ... } }');
      return { event: await session.inject(event) };
    }
    case 'shelter': {
      authorize(actor, 'shelter', session);
      parseOr(shelterSchema, payload, 'invalid_request', 'shelter report');
      const { alertAtMs, responseMs, responseWallMs } = await session.shelter(actor.participant!);
      return { alertAtMs, responseMs: responseMs!, responseWallMs: responseWallMs! };
    }
    case 'post': {
      authorize(actor, 'post', session);
      const { text, region } = parseOr(postSchema, payload, 'invalid_request', 'post: send { text, region? }');
      return { message: session.post(text, region) };
    }
  }
}

/** What a client lacks when it connects: its own status, the items it missed or a snapshot, the roster. */
export interface Opening {
  readonly self?: TraineeStatus;
  readonly missed?: LoggedMessage[];
  readonly snapshot?: Snapshot;
  readonly roster?: Roster;
}

/** `missed`: the items after the client's `lastSeq` if they can be sent, else it gets a snapshot. */
export function openingFor(session: Session, actor: Actor, missed: LoggedMessage[] | undefined): Opening {
  return {
    ...(actor.participant ? { self: session.traineeStatus(actor.participant) } : {}),
    ...(missed ? { missed } : { snapshot: session.snapshot() }),
    ...(actor.role === 'instructor' && session.drill ? { roster: session.roster() } : {}),
  };
}
