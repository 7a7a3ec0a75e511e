/**
 * The drill store in SQLite (see sessions/drill-store.ts for what it keeps and why). Statements
 * are prepared once; each write is one statement or one transaction, committed synchronously
 * when it is called (WAL, synchronous NORMAL: a SIGKILL loses nothing committed), so the order
 * of the calls is the order of the commits and the promise it returns is already settled.
 *
 * Cost: an answer is one UPDATE by primary key, tens of microseconds; an alert over a region
 * with 1,000 trainees is one transaction of 1,000 INSERTs, a few milliseconds.
 */
import type { DrillStore, KeptUpload, LoadedDrill, StoredClock, StoredDrill, TraineeWrite } from '../sessions/drill-store.ts';
import type { ScenarioEvent } from '../domain/events.ts';
import { migrate, type Database, type Migration } from './database.ts';
import { DRILL_SCHEMA, loadedDrillOf, SQLITE_DIALECT, type ParticipantRow, type ResponseRow } from './drill-schema.ts';

/** The drill tables (storage/drill-schema.ts) in SQLite's types. */
export const DRILL_MIGRATIONS: readonly Migration[] = DRILL_SCHEMA.map((m) => ({
  version: m.version,
  description: m.description,
  up: (db) => db.exec(m.sql(SQLITE_DIALECT)),
}));

/** A row of `drills` as SQLite stores it: regions as JSON text, flags as 0 and 1. */
interface DrillRow {
  id: string;
  scenario_id: string;
  join_code: string;
  instructor_token: string;
  regions: string;
  created_at_ms: number;
  creator: string;
  position_ms: number;
  speed: number;
  playing: number;
  loop: number;
}

export class SqliteDrillStore implements DrillStore {
  private readonly s;

  constructor(private readonly db: Database) {
    migrate(db, 'drills', DRILL_MIGRATIONS);
    this.s = {
      create: db.prepare(`INSERT INTO drills (id, scenario_id, join_code, instructor_token, regions, created_at_ms, creator, position_ms, speed, playing, loop)
        VALUES (@id, @scenarioId, @joinCode, @instructorToken, @regions, @createdAtMs, @creator, @positionMs, @speed, @playing, @loop)`),
      clock: db.prepare('UPDATE drills SET position_ms = ?, speed = ?, playing = ?, loop = ? WHERE id = ?'),
      inject: db.prepare('INSERT INTO drill_injects (drill_id, n, event) VALUES (?, ?, ?)'),
      participant: db.prepare('INSERT INTO drill_participants (drill_id, participant_id, token, name, region, joined_at_ms) VALUES (?, ?, ?, ?, ?, ?)'),
      open: db.prepare('INSERT INTO drill_responses (drill_id, participant_id, n, alert_at_ms, alert_wall_ms) VALUES (?, ?, ?, ?, ?)'),
      close: db.prepare('UPDATE drill_responses SET ended_at_ms = ? WHERE drill_id = ? AND participant_id = ? AND n = ?'),
      answer: db.prepare('UPDATE drill_responses SET response_ms = ?, response_wall_ms = ? WHERE drill_id = ? AND participant_id = ? AND n = ?'),
      delete: db.prepare('DELETE FROM drills WHERE id = ?'),
      drills: db.prepare('SELECT * FROM drills ORDER BY created_at_ms'),
      injects: db.prepare('SELECT event FROM drill_injects WHERE drill_id = ? ORDER BY n'),
      participants: db.prepare('SELECT * FROM drill_participants WHERE drill_id = ? ORDER BY joined_at_ms, participant_id'),
      responses: db.prepare('SELECT * FROM drill_responses WHERE drill_id = ? ORDER BY participant_id, n'),
      saveScenario: db.prepare('INSERT OR REPLACE INTO uploaded_scenarios (id, format, text, address, delete_token) VALUES (@id, @format, @text, @address, @deleteToken)'),
      deleteScenario: db.prepare('DELETE FROM uploaded_scenarios WHERE id = ?'),
      scenarios: db.prepare('SELECT id, format, text, address, delete_token AS deleteToken FROM uploaded_scenarios ORDER BY rowid'),
    };
  }

  async createDrill(d: StoredDrill): Promise<void> {
    this.s.create.run({
      id: d.id,
      scenarioId: d.scenarioId,
      joinCode: d.joinCode,
      instructorToken: d.instructorToken,
      regions: JSON.stringify(d.regions),
      createdAtMs: d.createdAtMs,
      creator: d.creator,
      positionMs: Math.floor(d.clock.positionMs),
      speed: d.clock.speed,
      playing: d.clock.playing ? 1 : 0,
      loop: d.clock.loop ? 1 : 0,
    });
  }

  async saveClock(drillId: string, c: StoredClock): Promise<void> {
    this.s.clock.run(Math.floor(c.positionMs), c.speed, c.playing ? 1 : 0, c.loop ? 1 : 0, drillId);
  }

  async addInject(drillId: string, n: number, event: ScenarioEvent): Promise<void> {
    this.s.inject.run(drillId, n, JSON.stringify(event));
  }

  async writeTrainees(drillId: string, writes: readonly TraineeWrite[]): Promise<void> {
    this.db.transaction(() => {
      for (const w of writes) {
        if (w.kind === 'joined') {
          const p = w.participant;
          this.s.participant.run(drillId, p.participantId, p.token, p.name, p.region, p.joinedAtMs);
        } else if (w.kind === 'alerted') {
          this.s.open.run(drillId, w.participantId, w.response.n, Math.floor(w.response.alertAtMs), w.response.alertWallMs);
        } else this.s.close.run(Math.floor(w.endedAtMs), drillId, w.participantId, w.n);
      }
    })();
  }

  async answer(drillId: string, participantId: string, n: number, responseMs: number, responseWallMs: number): Promise<void> {
    const { changes } = this.s.answer.run(Math.floor(responseMs), Math.floor(responseWallMs), drillId, participantId, n);
    if (changes !== 1) throw new Error(`drill ${drillId}: trainee ${participantId} has no alert ${n} in the store`);
  }

  async deleteDrill(drillId: string): Promise<void> {
    this.s.delete.run(drillId);
  }

  async loadDrills(): Promise<LoadedDrill[]> {
    return (this.s.drills.all() as DrillRow[]).map((row) =>
      loadedDrillOf(
        { ...row, regions: JSON.parse(row.regions) as string[], playing: row.playing === 1, loop: row.loop === 1 },
        (this.s.injects.all(row.id) as Array<{ event: string }>).map((e) => JSON.parse(e.event) as ScenarioEvent),
        this.s.participants.all(row.id) as ParticipantRow[],
        this.s.responses.all(row.id) as ResponseRow[],
      ),
    );
  }

  async saveScenario(upload: KeptUpload): Promise<void> {
    this.s.saveScenario.run(upload);
  }

  async deleteScenario(id: string): Promise<void> {
    this.s.deleteScenario.run(id);
  }

  async loadScenarios(): Promise<KeptUpload[]> {
    return this.s.scenarios.all() as KeptUpload[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
