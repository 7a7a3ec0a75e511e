/**
 * The drill store's tables, written once for both databases: each migration is SQL over a few
 * column types that SQLite and PostgreSQL spell differently, so the two stores have the same
 * migrations, version for version, and cannot drift apart. A new column is a new migration here.
 */

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
