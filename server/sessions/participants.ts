/**
 * A drill's trainees: who they are, which region they follow, and for every alert of that
 * region the answer they gave (or did not). One answer per alert: a press before an alert, or a
 * second press for the same alert, is refused rather than counted, so the report measures
 * exactly one response time per trainee and alert.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../contract/errors.ts';
import type { StoredParticipant, StoredResponse } from './drill-store.ts';

export interface ShelterResponse {
  /** Its place among the trainee's alerts, from 0: two alerts may begin at one scenario moment. */
  readonly n: number;
  /** Scenario position at which the alert in the trainee's region began. */
  readonly alertAtMs: number;
  /** Wall time at which the alert reached the drill (or the trainee joined during it). */
  readonly alertWallMs: number;
  /** Scenario time from the alert to the shelter answer; null while unanswered. */
  responseMs: number | null;
  /** Wall time from the alert to the answer, as the trainee lived it: the report's headline. */
  responseWallMs: number | null;
  /** Scenario position at which the alert ended; null while it lasts. */
  endedAtMs: number | null;
}

export type TraineeState = 'waiting' | 'alerted' | 'sheltered' | 'missed';

export interface Participant {
  readonly participantId: string;
  readonly token: string;
  readonly name: string;
  readonly region: string;
  readonly joinedAtMs: number;
  connections: number;
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

/** The alert a trainee is answering now, if any. */
export function openResponse(p: Participant): ShelterResponse | undefined {
  const last = p.responses.at(-1);
  return last && last.endedAtMs === null ? last : undefined;
}

/** Where a trainee stands: under alert and unanswered, sheltered, the last alert missed, or waiting. */
export function traineeState(p: Participant): TraineeState {
  const last = p.responses.at(-1);
  if (!last) return 'waiting';
  if (last.endedAtMs === null) return last.responseMs === null ? 'alerted' : 'sheltered';
  return last.responseMs === null ? 'missed' : 'waiting';
}

/** What changed for one trainee when its region's alert changed. */
export interface AlertChange {
  readonly participant: Participant;
  readonly opened?: ShelterResponse;
  readonly closed?: ShelterResponse;
}

export class Participants {
  private readonly byId = new Map<string, Participant>();
  private readonly byRegion = new Map<string, Set<Participant>>();

  get size(): number {
    return this.byId.size;
  }

  get connected(): number {
    let n = 0;
    for (const p of this.byId.values()) if (p.connections > 0) n += 1;
    return n;
  }

  join(name: string, region: string, joinedAtMs: number): Participant {
    if (this.byId.size >= MAX_PARTICIPANTS) throw new ApiError('forbidden', 'this drill is full');
    return this.add({ participantId: `p-${secret(6)}`, token: secret(24), name, region, joinedAtMs }, []);
  }

  /** A trainee read back from the store. */
  restore(stored: StoredParticipant, responses: readonly StoredResponse[]): Participant {
    return this.add(stored, responses.map((r) => ({ ...r })));
  }

  /** The participant with this id, if the token matches. */
  rejoin(participantId: string, token: string): Participant | undefined {
    const p = this.byId.get(participantId);
    return p && sameSecret(token, p.token) ? p : undefined;
  }

  get(participantId: string): Participant | undefined {
    return this.byId.get(participantId);
  }

  inRegion(region: string): Iterable<Participant> {
    return this.byRegion.get(region) ?? [];
  }

  /**
   * Brings a trainee in line with its region's alert: `sinceMs` is the alert's start (null: no
   * alert). A new alert opens a response; an alert's end closes it (unanswered: missed). The same
   * alert seen again as the clock passes its start once more (a resumed drill replays the seconds
   * since its last saved position) opens nothing; a new alert raised at the same paused moment does.
   */
  sync(p: Participant, sinceMs: number | null, positionMs: number, wallMs: number): AlertChange | undefined {
    const open = openResponse(p);
    if (sinceMs === null) {
      if (!open) return undefined;
      open.endedAtMs = positionMs;
      return { participant: p, closed: open };
    }
    const last = p.responses.at(-1);
    if (open?.alertAtMs === sinceMs || (!open && last?.alertAtMs === sinceMs && last.endedAtMs! > sinceMs)) return undefined;
    if (open) open.endedAtMs = positionMs;
    const opened: ShelterResponse = { n: p.responses.length, alertAtMs: sinceMs, alertWallMs: wallMs, responseMs: null, responseWallMs: null, endedAtMs: null };
    p.responses.push(opened);
    return { participant: p, opened, ...(open ? { closed: open } : {}) };
  }

  /**
   * The trainee is in the shelter: answers the alert it is under now, once. Throws a typed
   * refusal when there is no alert to answer or it was answered already.
   */
  answer(p: Participant, positionMs: number, wallMs: number): ShelterResponse {
    const open = openResponse(p);
    if (!open) throw new ApiError('no_open_alert', 'your region is not under alert: there is nothing to answer yet');
    if (open.responseMs !== null) throw new ApiError('already_answered', 'this alert is answered already');
    open.responseMs = Math.max(0, positionMs - open.alertAtMs);
    open.responseWallMs = Math.max(0, wallMs - open.alertWallMs);
    return open;
  }

  all(): Participant[] {
    return [...this.byId.values()];
  }

  /** A trainee whose joining could not be committed: as if it had never come. */
  forget(p: Participant): void {
    this.byId.delete(p.participantId);
    this.byRegion.get(p.region)?.delete(p);
  }

  private add(stored: StoredParticipant, responses: ShelterResponse[]): Participant {
    const p: Participant = { ...stored, connections: 0, responses };
    this.byId.set(p.participantId, p);
    let set = this.byRegion.get(p.region);
    if (!set) this.byRegion.set(p.region, (set = new Set()));
    set.add(p);
    return p;
  }
}
