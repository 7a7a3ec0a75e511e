/**
 * The drill store's tables, written once for both databases: each migration is SQL over a few
 * column types that SQLite and PostgreSQL spell differently, so the two stores have the same
 * migrations, version for version, and cannot drift apart. A new column is a new migration here.
 * The rows they read back are turned into a drill by one function, `loadedDrillOf`, for both.
 */
import type { ScenarioEvent } from '../domain/events.ts';
import type { LoadedDrill, StoredResponse } from '../sessions/drill-store.ts';

/** How a database spells the column types the drill tables use. */
export interface Dialect {
  /** Milliseconds: wall times are past 2^31, so PostgreSQL needs BIGINT (SQLite's INTEGER is 64-bit). */
  readonly ms: string;
  readonly real: string;
  readonly flag: string;
  /** Regions and events, as JSON. */
  readonly json: string;
  /** The column that orders uploads as they came: SQLite has its rowid, PostgreSQL needs one. */
  readonly arrival: string;
}

export const SQLITE_DIALECT: Dialect = { ms: 'INTEGER', real: 'REAL', flag: 'INTEGER', json: 'TEXT', arrival: '' };
export const POSTGRES_DIALECT: Dialect = { ms: 'BIGINT', real: 'DOUBLE PRECISION', flag: 'BOOLEAN', json: 'JSONB', arrival: 'seq BIGSERIAL,' };

export interface DrillSchemaMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: (d: Dialect) => string;
}

export const DRILL_SCHEMA: readonly DrillSchemaMigration[] = [
  {
    version: 1,
    description: 'drills, their injected events, trainees, alerts and answers; uploaded scenarios',
    sql: (d) => `
      CREATE TABLE drills (
        id TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        instructor_token TEXT NOT NULL,
        regions ${d.json} NOT NULL,
        created_at_ms ${d.ms} NOT NULL,
        creator TEXT NOT NULL,
        position_ms ${d.ms} NOT NULL,
        speed ${d.real} NOT NULL,
        playing ${d.flag} NOT NULL,
        loop ${d.flag} NOT NULL
      );
      CREATE TABLE drill_injects (
        drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        event ${d.json} NOT NULL,
        PRIMARY KEY (drill_id, n)
      );
      CREATE TABLE drill_participants (
        drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL,
        token TEXT NOT NULL,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        joined_at_ms ${d.ms} NOT NULL,
        PRIMARY KEY (drill_id, participant_id)
      );
      CREATE TABLE drill_responses (
        drill_id TEXT NOT NULL,
        participant_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        alert_at_ms ${d.ms} NOT NULL,
        alert_wall_ms ${d.ms} NOT NULL,
        response_ms ${d.ms},
        response_wall_ms ${d.ms},
        ended_at_ms ${d.ms},
        PRIMARY KEY (drill_id, participant_id, n),
        FOREIGN KEY (drill_id, participant_id) REFERENCES drill_participants(drill_id, participant_id) ON DELETE CASCADE
      );
      CREATE TABLE uploaded_scenarios (
        ${d.arrival}
        id TEXT PRIMARY KEY,
        format TEXT NOT NULL,
        text TEXT NOT NULL,
        address TEXT NOT NULL,
        delete_token TEXT NOT NULL
      );
    `,
  },
];

/** A row of `drill_responses`, as both databases return it. */
export interface ResponseRow {
  readonly participant_id: string;
  readonly n: number;
  readonly alert_at_ms: number;
  readonly alert_wall_ms: number;
  readonly response_ms: number | null;
  readonly response_wall_ms: number | null;
  readonly ended_at_ms: number | null;
}

/** A row of `drill_participants`. */
export interface ParticipantRow {
  readonly participant_id: string;
  readonly token: string;
  readonly name: string;
  readonly region: string;
  readonly joined_at_ms: number;
}

/** A row of `drills`, its JSON and flag columns already read into values (each database stores them its own way). */
export interface DrillColumns {
  readonly id: string;
  readonly scenario_id: string;
  readonly join_code: string;
  readonly instructor_token: string;
  readonly regions: string[];
  readonly created_at_ms: number;
  readonly creator: string;
  readonly position_ms: number;
  readonly speed: number;
  readonly playing: boolean;
  readonly loop: boolean;
}

/** One drill read back, from its row and the rows of its injects, trainees and their responses (in order). */
export function loadedDrillOf(row: DrillColumns, injected: ScenarioEvent[], participants: readonly ParticipantRow[], responses: readonly ResponseRow[]): LoadedDrill {
  const byTrainee = new Map<string, StoredResponse[]>();
  for (const r of responses) {
    const list = byTrainee.get(r.participant_id) ?? [];
    list.push({ n: r.n, alertAtMs: r.alert_at_ms, alertWallMs: r.alert_wall_ms, responseMs: r.response_ms, responseWallMs: r.response_wall_ms, endedAtMs: r.ended_at_ms });
    byTrainee.set(r.participant_id, list);
  }
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    joinCode: row.join_code,
    instructorToken: row.instructor_token,
    regions: row.regions,
    createdAtMs: row.created_at_ms,
    creator: row.creator,
    clock: { positionMs: row.position_ms, speed: row.speed, playing: row.playing, loop: row.loop },
    injected,
    participants: participants.map((p) => ({
      participantId: p.participant_id,
      token: p.token,
      name: p.name,
      region: p.region,
      joinedAtMs: p.joined_at_ms,
      responses: byTrainee.get(p.participant_id) ?? [],
    })),
  };
}
