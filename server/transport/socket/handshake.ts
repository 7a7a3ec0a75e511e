/**
 * Who is connecting, and to what: the handshake's `auth` validated and checked against the
 * session. A refusal is a `connect_error` whose `data` is the typed error.
 */
import { ApiError, parseOr } from '../../contract/errors.ts';
import { handshakeSchema, type Handshake } from '../../contract/socket.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { sameSecret, type Participant } from '../../sessions/participants.ts';
import type { Session } from '../../sessions/session.ts';

export interface Admission {
  readonly session: Session;
  readonly handshake: Handshake;
  readonly participant?: Participant;
  /** True when the participant was created by this handshake (send it its `welcome`). */
  readonly isNew: boolean;
}

/** Admits a connection from `address`; wrong join codes count against it (see `joinByCode`). */
export function admit(auth: unknown, registry: SessionRegistry, address: string): Admission {
  const handshake = parseOr(handshakeSchema, auth ?? {}, 'invalid_handshake', 'handshake');
  const session = registry.require(handshake.sessionId);
  switch (handshake.role) {
    case 'viewer':
      return { session, handshake, isNew: false };
    case 'instructor':
      if (!handshake.token) throw new ApiError('unauthorized', 'an instructor connects with the session\'s instructor token in auth.token');
      if (!sameSecret(handshake.token, session.instructorToken)) throw new ApiError('forbidden', 'the instructor token does not match this session');
      return { session, handshake, isNew: false };
    case 'trainee': {
      if (session.kind !== 'drill') throw new ApiError('forbidden', 'this session is not a drill: join it as a viewer');
      if (handshake.participantId && handshake.participantToken) {
        const participant = session.participants.rejoin(handshake.participantId, handshake.participantToken);
        if (!participant) throw new ApiError('forbidden', 'unknown participant, or its token does not match');
        return { session, handshake, participant, isNew: false };
      }
      registry.joinByCode(address, handshake.joinCode, session);
      if (!handshake.name) throw new ApiError('invalid_handshake', 'a trainee joins with a name (auth.name)');
      if (!handshake.region?.startsWith('UA-')) throw new ApiError('invalid_handshake', 'a trainee joins with the Ukrainian region they follow (auth.region, e.g. "UA-46")');
      return { session, handshake, participant: session.joinTrainee(handshake.name, handshake.region), isNew: true };
    }
  }
}
