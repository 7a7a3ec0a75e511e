/**
 * A drill's trainees: who they are, which region they follow, and every answer they give. An
 * answer is recorded before it is acknowledged, and stays with the participant across reconnects.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RosterEntry } from '../contract/session.ts';

export interface ShelterResponse {
  /** Scenario position at which the alert in the trainee's region began. */
  readonly alertAtMs: number;
  /** Scenario time from the alert to the shelter report; null while unanswered. */
  responseMs: number | null;
  /** Wall time from the alert's broadcast to the report, as the trainee lived it. */
  responseWallMs: number | null;
  readonly alertWallMs: number;
}

export interface Participant {
  readonly participantId: string;
  readonly token: string;
  readonly name: string;
  readonly region: string | null;
  connections: number;
  shelteredAtMs: number | null;
  readonly responses: ShelterResponse[];
}

export function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Trainees a session holds at most: a large school, not an unbounded list anyone can grow. */
export const MAX_PARTICIPANTS = 5_000;

export class Participants {
  private readonly byId = new Map<string, Participant>();

  get size(): number {
    return this.byId.size;
  }

  get connected(): number {
    let n = 0;
    for (const p of this.byId.values()) if (p.connections > 0) n += 1;
    return n;
  }

  join(name: string, region: string | null): Participant | undefined {
    if (this.byId.size >= MAX_PARTICIPANTS) return undefined;
    const participant: Participant = {
      participantId: `p-${secret(6)}`,
      token: secret(24),
      name,
      region,
      connections: 0,
      shelteredAtMs: null,
      responses: [],
    };
    this.byId.set(participant.participantId, participant);
    return participant;
  }

  /** The participant with this id, if the token matches. */
  rejoin(participantId: string, token: string): Participant | undefined {
    const p = this.byId.get(participantId);
    return p && sameSecret(token, p.token) ? p : undefined;
  }

  get(participantId: string): Participant | undefined {
    return this.byId.get(participantId);
  }

  /** An alert began in `region`: every trainee there now owes an answer. */
  alertStarted(region: string, atMs: number, wallMs: number): boolean {
    let changed = false;
    for (const p of this.byId.values()) {
      if (p.region !== region) continue;
      p.shelteredAtMs = null;
      p.responses.push({ alertAtMs: atMs, responseMs: null, responseWallMs: null, alertWallMs: wallMs });
      changed = true;
    }
    return changed;
  }

  /** The trainee reports being in the shelter (or leaving it); answers every open alert. */
  shelter(p: Participant, inShelter: boolean, positionMs: number, wallMs: number): void {
    p.shelteredAtMs = inShelter ? positionMs : null;
    if (!inShelter) return;
    for (const r of p.responses) {
      if (r.responseMs !== null) continue;
      r.responseMs = Math.max(0, positionMs - r.alertAtMs);
      r.responseWallMs = Math.max(0, wallMs - r.alertWallMs);
    }
  }

  roster(): RosterEntry[] {
    return [...this.byId.values()].map((p) => ({
      participantId: p.participantId,
      name: p.name,
      region: p.region,
      connected: p.connections > 0,
      shelteredAtMs: p.shelteredAtMs,
      responses: p.responses.map((r) => ({ alertAtMs: r.alertAtMs, responseMs: r.responseMs })),
    }));
  }

  all(): Participant[] {
    return [...this.byId.values()];
  }
}
