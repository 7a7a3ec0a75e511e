/**
 * What a session is made from: the spec of a new one (its id, six-letter join code and 32-byte
 * instructor token), the spec of a drill read back from the store, and the options a spec gives
 * the session. Apart from the registry so that a node taking a session over (cluster/node.ts)
 * rebuilds it from the same spec without the registry's bookkeeping.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { CreateSession, SessionSpec } from '../contract/session.ts';
import type { StoredScenario } from '../scenario/store.ts';
import type { LoadedDrill } from './drill-store.ts';
import { secret } from './participants.ts';
import type { SessionOptions } from './session.ts';

/** Join codes avoid letters and digits people confuse when read aloud or from a projector (0/O, 1/I/L). */
const JOIN_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 6;

/** A new session's spec: fresh id, join code (one `taken` says is free) and instructor token. */
export function newSpec(request: CreateSession, regions: readonly string[], taken: (code: string) => boolean): SessionSpec {
  return {
    id: randomBytes(9).toString('base64url'),
    kind: request.kind,
    scenarioId: request.scenarioId,
    joinCode: newJoinCode(taken),
    instructorToken: secret(32),
    speed: request.speed,
    positionMs: request.positionMs,
    autoplay: request.autoplay,
    loop: request.loop,
    ...(request.feedTimes ? { feedTimes: request.feedTimes } : {}),
    regions,
  };
}

function newJoinCode(taken: (code: string) => boolean): string {
  for (;;) {
    const code = Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_ALPHABET[randomInt(JOIN_ALPHABET.length)]).join('');
    if (!taken(code)) return code;
  }
}

/** The spec of a drill read back from the store: resumed paused, where its clock was. */
export function specOfKept(kept: LoadedDrill): SessionSpec {
  const { id, scenarioId, joinCode, instructorToken, regions, creator, clock } = kept;
  return { id, kind: 'drill', scenarioId, joinCode, instructorToken, regions, creator, speed: clock.speed, positionMs: clock.positionMs, autoplay: false, loop: clock.loop };
}

/** Join codes are read aloud and typed on phones: case, spaces and dashes do not matter. */
export function normalizeJoinCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/** The options of `spec` a session takes from its scenario and spec; the registry adds the rest. */
export function optionsOfSpec(spec: SessionSpec, stored: StoredScenario): Pick<SessionOptions, 'id' | 'kind' | 'scenario' | 'timeline' | 'joinCode' | 'instructorToken' | 'speed' | 'positionMs' | 'autoplay' | 'loop' | 'feedTimes'> {
  return {
    id: spec.id,
    kind: spec.kind,
    scenario: stored.scenario,
    timeline: stored.timeline,
    joinCode: spec.joinCode,
    instructorToken: spec.instructorToken,
    speed: spec.speed,
    positionMs: spec.positionMs,
    autoplay: spec.autoplay,
    loop: spec.loop,
    ...(spec.feedTimes ? { feedTimes: spec.feedTimes } : {}),
  };
}
