/**
 * What a drill leaves behind, and the seam it is written through: the sessions layer records
 * each change as it happens (a drill created, the clock moved, an event injected, a trainee
 * joined, an alert opened, an answer given), and reads them all back when the process starts
 * again. SQLite implements it today (storage/sqlite-drills.ts); a PostgreSQL store can sit
 * beside it, as each method is one small statement or one transaction.
 *
 * Every write is synchronous and returns only once committed: a trainee's answer is
 * acknowledged after `answer` returns, so an acknowledged answer survives a SIGKILL.
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

export interface DrillStore {
  createDrill(drill: StoredDrill): void;
  saveClock(drillId: string, clock: StoredClock): void;
  addInject(drillId: string, n: number, event: ScenarioEvent): void;
  addParticipant(drillId: string, participant: StoredParticipant): void;
  /** Runs `work` as one transaction (an alert over a region with many trainees is one commit). */
  transaction(work: () => void): void;
  /** An alert began for a trainee: an open, unanswered response. */
  openAlert(drillId: string, participantId: string, response: StoredResponse): void;
  /** The trainee's alert `n` ended. */
  closeAlert(drillId: string, participantId: string, n: number, endedAtMs: number): void;
  /** A trainee's answer to its alert `n`; returns once committed. */
  answer(drillId: string, participantId: string, n: number, responseMs: number, responseWallMs: number): void;
  deleteDrill(drillId: string): void;
  loadDrills(): LoadedDrill[];
  /** Uploaded scenarios, as their source text, so drills of them can resume. */
  saveScenario(upload: KeptUpload): void;
  deleteScenario(id: string): void;
  loadScenarios(): KeptUpload[];
  close(): void;
}

/** A store that keeps nothing: for registries without a database (unit tests, watch-only uses). */
export const NULL_DRILL_STORE: DrillStore = {
  createDrill() {},
  saveClock() {},
  addInject() {},
  addParticipant() {},
  transaction: (work) => work(),
  openAlert() {},
  closeAlert() {},
  answer() {},
  deleteDrill() {},
  loadDrills: () => [],
  saveScenario() {},
  deleteScenario() {},
  loadScenarios: () => [],
  close() {},
};
