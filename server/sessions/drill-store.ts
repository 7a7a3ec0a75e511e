/**
 * What a drill leaves behind, and the seam it is written through: the sessions layer records
 * each change as it happens (a drill created, the clock moved, an event injected, a trainee
 * joined, an alert opened, an answer given), and reads them all back when the process starts
 * again. Two stores implement it: SQLite (storage/sqlite-drills.ts, the default, nothing to
 * install) and PostgreSQL (storage/pg-drills.ts, `DATABASE_URL`, for several processes).
 *
 * Every method returns a promise that settles once the write is committed, and a store commits
 * its writes in the order they were called: memory changes first, synchronously, and the write
 * is queued in the same step, so an alert opened is written before its answer and closed after
 * it even when nobody waits. Who must not speak before the commit waits: a trainee's answer is
 * acknowledged after `answer` resolves, so an acknowledged answer survives a SIGKILL; a trainee
 * gets its id and secret after its `join` is committed; a drill's links after `createDrill`.
 * Writes nobody waits for (the clock, alerts opened and closed) report a failure through the
 * `StoreFailure` the registry is given, never as an unhandled rejection.
 */
import type { ScenarioEvent } from '../domain/events.ts';

export interface StoredClock {
  readonly positionMs: number;
  readonly speed: number;
  readonly playing: boolean;
  readonly loop: boolean;
}

export interface StoredDrill {
  readonly id: string;
  readonly scenarioId: string;
  readonly joinCode: string;
  readonly instructorToken: string;
  /** Regions trainees may pick. */
  readonly regions: readonly string[];
  readonly createdAtMs: number;
  readonly creator: string;
  readonly clock: StoredClock;
}

export interface StoredResponse {
  /** Its place among the trainee's alerts, from 0. */
  readonly n: number;
  /** Scenario position at which the alert began. */
  readonly alertAtMs: number;
  /** Wall time at which the alert reached the drill. */
  readonly alertWallMs: number;
  readonly responseMs: number | null;
  readonly responseWallMs: number | null;
  /** Scenario position at which the alert ended, if it has. */
  readonly endedAtMs: number | null;
}

export interface StoredParticipant {
  readonly participantId: string;
  readonly token: string;
  readonly name: string;
  readonly region: string;
  readonly joinedAtMs: number;
}

/** A drill as read back: everything needed to resume it where it was. */
export interface LoadedDrill extends StoredDrill {
  readonly injected: readonly ScenarioEvent[];
  readonly participants: ReadonlyArray<StoredParticipant & { readonly responses: readonly StoredResponse[] }>;
}

/** An uploaded scenario as sent, with who sent it and the secret that deletes it. */
export interface KeptUpload {
  readonly id: string;
  readonly format: 'yaml' | 'json';
  readonly text: string;
  readonly address: string;
  readonly deleteToken: string;
}

/**
 * A change to a drill's trainees. Those of one moment (a trainee joining during an alert, an
 * alert over a region of 1,000 trainees) are written together, in one transaction.
 */
export type TraineeWrite =
  | { readonly kind: 'joined'; readonly participant: StoredParticipant }
  /** An alert began for a trainee: an open, unanswered response. */
  | { readonly kind: 'alerted'; readonly participantId: string; readonly response: StoredResponse }
  /** The trainee's alert `n` ended. */
  | { readonly kind: 'ended'; readonly participantId: string; readonly n: number; readonly endedAtMs: number };

export interface DrillStore {
  createDrill(drill: StoredDrill): Promise<void>;
  saveClock(drillId: string, clock: StoredClock): Promise<void>;
  addInject(drillId: string, n: number, event: ScenarioEvent): Promise<void>;
  /** One moment's changes to the trainees, in one transaction, in the order given. */
  writeTrainees(drillId: string, writes: readonly TraineeWrite[]): Promise<void>;
  /** A trainee's answer to its alert `n`; resolves once committed, rejects when that alert was never written. */
  answer(drillId: string, participantId: string, n: number, responseMs: number, responseWallMs: number): Promise<void>;
  deleteDrill(drillId: string): Promise<void>;
  loadDrills(): Promise<LoadedDrill[]>;
  /** Uploaded scenarios, as their source text, so drills of them can resume. */
  saveScenario(upload: KeptUpload): Promise<void>;
  deleteScenario(id: string): Promise<void>;
  loadScenarios(): Promise<KeptUpload[]>;
  /** Waits for the writes already called, then lets the database go. */
  close(): Promise<void>;
}

/** Where a write nobody waited for reports its failure (the server logs it). */
export type StoreFailure = (error: unknown, write: string) => void;

/** Hands a write nobody waits for to `failed` if it fails: never an unhandled rejection. */
export function unawaited(write: Promise<void>, what: string, failed: StoreFailure): void {
  write.catch((error: unknown) => failed(error, what));
}

const done = Promise.resolve();

/** A store that keeps nothing: for registries without a database (unit tests, watch-only uses). */
export const NULL_DRILL_STORE: DrillStore = {
  createDrill: () => done,
  saveClock: () => done,
  addInject: () => done,
  writeTrainees: () => done,
  answer: () => done,
  deleteDrill: () => done,
  loadDrills: () => Promise.resolve([]),
  saveScenario: () => done,
  deleteScenario: () => done,
  loadScenarios: () => Promise.resolve([]),
  close: () => done,
};
