/**
 * The handshake's `auth`, validated; who may connect is decided by the sessions layer's rules.
 * A refusal is a `connect_error` whose `data` is the typed error.
 */
import { parseOr } from '../../contract/errors.ts';
import { handshakeSchema, type Handshake } from '../../contract/socket.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { admit as admitBy, type Admission } from '../../sessions/rules.ts';

export type { Admission };

export function parseHandshake(auth: unknown): Handshake {
  return parseOr(handshakeSchema, auth ?? {}, 'invalid_handshake', 'handshake');
}

/** Admits a connection from `address`; wrong join codes count against it (see `joinByCode`). */
export function admit(auth: unknown, registry: SessionRegistry, address: string): Promise<Admission> {
  return admitBy(parseHandshake(auth), registry, address);
}
