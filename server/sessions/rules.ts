/**
 * Who may do what, decided here once and used by REST and the socket alike: transport parses
 * what came in, asks this module, and serializes the answer.
 *
 * - Admission: a viewer needs only the session id; an instructor the session's instructor token;
 *   a trainee the drill's join code, a name and an offered region (wrong codes count against the
 *   address and the drill, see `JoinGuard`), or, to come back, its own id and secret.
 * - Acts: only the instructor controls the clock, injects, posts messages, reads the roster and
 *   the report, and deletes the drill; only a trainee answers, and only for itself (its identity
 *   is its connection's, never a field of the message).
 */
import { ApiError, parseOr } from '../contract/errors.ts';
import { traineeNameSchema, type ParticipantRole } from '../contract/session.ts';
import type { Handshake } from '../contract/socket.ts';
import { sameSecret, type Participant } from './participants.ts';
import type { SessionRegistry } from './registry.ts';
import type { Session } from './session.ts';

export type Action = 'watch' | 'control' | 'inject' | 'post' | 'roster' | 'report' | 'delete' | 'shelter' | 'faults' | 'webhooks';

export interface Actor {
  readonly role: ParticipantRole;
  /** The trainee itself, for a trainee. */
  readonly participant?: Participant;
}

const ALLOWED: Record<Action, readonly ParticipantRole[]> = {
  watch: ['viewer', 'trainee', 'instructor'],
  control: ['instructor'],
  inject: ['instructor'],
  post: ['instructor'],
  roster: ['instructor'],
  report: ['instructor'],
  delete: ['instructor'],
  shelter: ['trainee'],
  faults: ['instructor'],
  webhooks: ['instructor'],
};

const WHAT: Record<Action, string> = {
  watch: 'watch',
  control: 'control the replay',
  inject: 'inject events',
  post: 'post messages',
  roster: 'read the roster',
  report: 'read the report',
  delete: 'delete the drill',
  shelter: 'report being in the shelter',
  faults: 'set the faults',
  webhooks: 'manage webhooks',
};

/** Throws `forbidden` unless `actor` may do `action` in `session`. */
export function authorize(actor: Actor, action: Action, session: Session): void {
  if (!ALLOWED[action].includes(actor.role)) {
    throw new ApiError('forbidden', action === 'shelter' ? 'only a trainee reports being in the shelter' : `only the instructor may ${WHAT[action]}`);
  }
  if ((action === 'shelter' || action === 'roster' || action === 'report' || action === 'post') && !session.drill) {
    throw new ApiError('forbidden', `this session is not a drill: there is nothing to ${WHAT[action]}`);
  }
  if (action === 'shelter' && !actor.participant) throw new ApiError('forbidden', 'only a trainee reports being in the shelter');
}

/** The instructor, when `token` is this session's instructor token. */
export function instructor(session: Session, token: string | undefined): Actor {
  if (!token) throw new ApiError('unauthorized', "this needs the session's instructor token");
  if (!sameSecret(token, session.instructorToken)) throw new ApiError('forbidden', 'the instructor token does not match this session');
  return { role: 'instructor' };
}

export interface Admission {
  readonly session: Session;
  readonly actor: Actor;
  /** True when the trainee was created by this admission (send it its id and secret). */
  readonly isNew: boolean;
}

/** Admits a connection from `address` with the credentials of its handshake (a new trainee once committed). */
export async function admit(credentials: Handshake, registry: SessionRegistry, address: string): Promise<Admission> {
  const session = registry.require(credentials.sessionId);
  switch (credentials.role) {
    case 'viewer':
      return { session, actor: { role: 'viewer' }, isNew: false };
    case 'instructor':
      return { session, actor: instructor(session, credentials.token), isNew: false };
    case 'trainee':
      return admitTrainee(credentials, session, registry, address);
  }
}

async function admitTrainee(credentials: Handshake, session: Session, registry: SessionRegistry, address: string): Promise<Admission> {
  if (!session.drill) throw new ApiError('forbidden', 'this session is not a drill: join it as a viewer');
  if (credentials.participantId && credentials.participantToken) {
    const participant = session.drill.participants.rejoin(credentials.participantId, credentials.participantToken);
    if (!participant) throw new ApiError('forbidden', 'unknown participant, or its secret does not match');
    return { session, actor: { role: 'trainee', participant }, isNew: false };
  }
  registry.joinByCode(address, credentials.joinCode, session);
  if (credentials.name === undefined) throw new ApiError('invalid_handshake', 'a trainee joins with a name (auth.name)');
  const name = parseOr(traineeNameSchema, credentials.name, 'invalid_handshake', 'name');
  if (!credentials.region) throw new ApiError('invalid_handshake', `a trainee joins with the region they are in (auth.region): one of ${session.drill.regions.join(', ')}`);
  const participant = await session.joinTrainee(name, credentials.region);
  return { session, actor: { role: 'trainee', participant }, isNew: true };
}
