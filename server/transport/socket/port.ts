/**
 * A connected client's way to its session: in this process (`localPort`), or on the node that
 * runs it (cluster/remote.ts). The socket transport sees only this, so a client may connect to
 * any node and be served the same: what it may do is decided where the session runs.
 */
import { callSession, openingFor, refOf, type ActorRef, type CallName, type Opening } from '../../sessions/calls.ts';
import type { LoggedMessage } from '../../sessions/item-log.ts';
import type { Admission } from '../../sessions/rules.ts';

export interface PortActor extends ActorRef {
  /** A trainee's region: it joins that region's room. */
  readonly region?: string;
}

export interface SessionPort {
  readonly sessionId: string;
  readonly actor: PortActor;
  /** For a trainee who has just joined: its id and secret, to come back as itself. */
  readonly welcome?: { readonly participantId: string; readonly participantToken: string };
  /** Counts the connection (trainee presence, idle reaping). */
  enter(): void;
  /** Counts it in with `owner`, the node that took the session over, unless that node counted it already. */
  reenter?(owner: string): void;
  opening(lastSeq: number | undefined): Opening | Promise<Opening>;
  /** Settles once done (an answer or an injected event once committed), with what the acknowledgement carries. */
  call(name: CallName, payload: unknown): Promise<object>;
  leave(): void;
}

/**
 * The port of a session this process runs. `fallback` serves a resume the session's own log
 * cannot (a session taken over from another node keeps the earlier items in the shared log).
 */
export function localPort(admission: Admission, fallback?: (sessionId: string, lastSeq: number) => Promise<LoggedMessage[] | undefined>): SessionPort {
  const { session, actor } = admission;
  const participant = actor.participant;
  return {
    sessionId: session.id,
    actor: { ...refOf(actor), ...(participant ? { region: participant.region } : {}) },
    ...(admission.isNew && participant ? { welcome: { participantId: participant.participantId, participantToken: participant.token } } : {}),
    enter: () => session.connect(participant),
    opening: (lastSeq) => {
      const missed = lastSeq === undefined ? undefined : session.missedSince(lastSeq);
      if (missed || lastSeq === undefined || !fallback) return openingFor(session, actor, missed);
      return fallback(session.id, lastSeq).then((elsewhere) => openingFor(session, actor, elsewhere));
    },
    call: (name, payload) => callSession(session, actor, name, payload),
    leave: () => session.disconnect(participant),
  };
}
