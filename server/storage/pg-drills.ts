/**
 * The drill store in PostgreSQL (`DATABASE_URL`; see sessions/drill-store.ts for what it keeps
 * and why, storage/postgres.ts for the pool, the migrations and the queue). The same tables as
 * the SQLite store (storage/drill-schema.ts), with PostgreSQL's types: milliseconds as BIGINT,
 * flags as BOOLEAN, regions and events as JSONB. Every call goes through one queue, so writes commit in the order they
 * were called and a read sees every write called before it.
 *
 * Cost: an answer is one UPDATE by primary key; an alert over a region of 1,000 trainees is one
 * transaction of one INSERT (and one UPDATE for the alerts it ended) over arrays, not 1,000
 * round trips.
 */
import type pg from 'pg';
import type { ScenarioEvent } from '../domain/events.ts';
import type { DrillStore, KeptUpload, LoadedDrill, StoredClock, StoredDrill, StoredParticipant, StoredResponse, TraineeWrite } from '../sessions/drill-store.ts';
import { inTransaction, migratePostgres, openPool, SerialQueue, type PgMigration } from './postgres.ts';
import { DRILL_SCHEMA, loadedDrillOf, POSTGRES_DIALECT, type DrillColumns, type ParticipantRow, type ResponseRow } from './drill-schema.ts';

/** The drill tables (storage/drill-schema.ts) in PostgreSQL's types: the SQLite store's migrations, version for version. */
export const PG_DRILL_MIGRATIONS: readonly PgMigration[] = DRILL_SCHEMA.map((m) => ({ version: m.version, description: m.description, sql: m.sql(POSTGRES_DIALECT) }));

/** Rows of a child table carry the drill they belong to. */
type OfDrill<T> = T & { readonly drill_id: string };

export class PgDrillStore implements DrillStore {
  private readonly queue = new SerialQueue();

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects to `url` and brings its tables up to date; `onError` hears of connections lost while idle. */
  static async open(url: string, onError: (error: Error) => void): Promise<PgDrillStore> {
    const pool = await openPool(url, onError);
    try {
      await migratePostgres(pool, 'drills', PG_DRILL_MIGRATIONS);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PgDrillStore(pool);
  }

  createDrill(d: StoredDrill): Promise<void> {
    return this.write(
      `INSERT INTO drills (id, scenario_id, join_code, instructor_token, regions, created_at_ms, creator, position_ms, speed, playing, loop)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)`,
      [d.id, d.scenarioId, d.joinCode, d.instructorToken, JSON.stringify(d.regions), d.createdAtMs, d.creator, Math.floor(d.clock.positionMs), d.clock.speed, d.clock.playing, d.clock.loop],
    );
  }

  saveClock(drillId: string, c: StoredClock): Promise<void> {
    return this.write('UPDATE drills SET position_ms = $1, speed = $2, playing = $3, loop = $4 WHERE id = $5', [Math.floor(c.positionMs), c.speed, c.playing, c.loop, drillId]);
  }

  addInject(drillId: string, n: number, event: ScenarioEvent): Promise<void> {
    return this.write('INSERT INTO drill_injects (drill_id, n, event) VALUES ($1, $2, $3::jsonb)', [drillId, n, JSON.stringify(event)]);
  }

  writeTrainees(drillId: string, writes: readonly TraineeWrite[]): Promise<void> {
    const { joined, alerted, ended } = planTraineeWrites(writes);
    return this.queue.run(() =>
      inTransaction(this.pool, async (client) => {
        for (const p of joined) {
          await client.query('INSERT INTO drill_participants (drill_id, participant_id, token, name, region, joined_at_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
            drillId,
            p.participantId,
            p.token,
            p.name,
            p.region,
            p.joinedAtMs,
          ]);
        }
        if (alerted.length) {
          await client.query(
            `INSERT INTO drill_responses (drill_id, participant_id, n, alert_at_ms, alert_wall_ms, ended_at_ms)
             SELECT $1::text, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[])`,
            [
              drillId,
              alerted.map((a) => a.participantId),
              alerted.map((a) => a.n),
              alerted.map((a) => Math.floor(a.alertAtMs)),
              alerted.map((a) => Math.floor(a.alertWallMs)),
              alerted.map((a) => (a.endedAtMs === null ? null : Math.floor(a.endedAtMs))),
            ],
          );
        }
        if (ended.length) {
          await client.query(
            `UPDATE drill_responses r SET ended_at_ms = u.ended_at_ms
             FROM unnest($2::text[], $3::int[], $4::bigint[]) AS u(participant_id, n, ended_at_ms)
             WHERE r.drill_id = $1 AND r.participant_id = u.participant_id AND r.n = u.n`,
            [drillId, ended.map((e) => e.participantId), ended.map((e) => e.n), ended.map((e) => Math.floor(e.endedAtMs))],
          );
        }
      }),
    );
  }

  answer(drillId: string, participantId: string, n: number, responseMs: number, responseWallMs: number): Promise<void> {
    return this.queue.run(async () => {
      const { rowCount } = await this.pool.query(
        'UPDATE drill_responses SET response_ms = $1, response_wall_ms = $2 WHERE drill_id = $3 AND participant_id = $4 AND n = $5',
        [Math.floor(responseMs), Math.floor(responseWallMs), drillId, participantId, n],
      );
      if (rowCount !== 1) throw new Error(`drill ${drillId}: trainee ${participantId} has no alert ${n} in the store`);
    });
  }

  deleteDrill(drillId: string): Promise<void> {
    return this.write('DELETE FROM drills WHERE id = $1', [drillId]);
  }

  loadDrills(): Promise<LoadedDrill[]> {
    return this.queue.run(async () => {
      // Four queries for every drill at once, grouped here: a restart with many drills costs no more round trips.
      const [drills, injects, participants, responses] = await Promise.all([
        this.pool.query<DrillColumns>('SELECT * FROM drills ORDER BY created_at_ms, id'),
        this.pool.query<{ drill_id: string; event: ScenarioEvent }>('SELECT drill_id, event FROM drill_injects ORDER BY drill_id, n'),
        this.pool.query<OfDrill<ParticipantRow>>('SELECT * FROM drill_participants ORDER BY drill_id, joined_at_ms, participant_id'),
        this.pool.query<OfDrill<ResponseRow>>('SELECT * FROM drill_responses ORDER BY drill_id, participant_id, n'),
      ]);
      const injected = groupBy(injects.rows, (r) => r.drill_id);
      const trainees = groupBy(participants.rows, (r) => r.drill_id);
      const answers = groupBy(responses.rows, (r) => r.drill_id);
      return drills.rows.map((row) =>
        loadedDrillOf(
          row,
          (injected.get(row.id) ?? []).map((r) => r.event),
          trainees.get(row.id) ?? [],
          answers.get(row.id) ?? [],
        ),
      );
    });
  }

  saveScenario(u: KeptUpload): Promise<void> {
    return this.write(
      `INSERT INTO uploaded_scenarios (id, format, text, address, delete_token) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET format = EXCLUDED.format, text = EXCLUDED.text, address = EXCLUDED.address, delete_token = EXCLUDED.delete_token`,
      [u.id, u.format, u.text, u.address, u.deleteToken],
    );
  }

  deleteScenario(id: string): Promise<void> {
    return this.write('DELETE FROM uploaded_scenarios WHERE id = $1', [id]);
  }

  loadScenarios(): Promise<KeptUpload[]> {
    return this.queue.run(async () => {
      const { rows } = await this.pool.query<KeptUpload>('SELECT id, format, text, address, delete_token AS "deleteToken" FROM uploaded_scenarios ORDER BY seq');
      return rows;
    });
  }

  async close(): Promise<void> {
    await this.queue.drained();
    await this.pool.end();
  }

  private write(sql: string, params: unknown[]): Promise<void> {
    return this.queue.run(async () => {
      await this.pool.query(sql, params);
    });
  }
}

type Alerted = StoredResponse & { readonly participantId: string };

/**
 * One moment's trainee writes as three statements with the same result as applying them in
 * order: trainees first, new alerts (an alert that ends within the same batch is written ended),
 * then the alerts that began earlier and ended now (the last end of each wins).
 */
export function planTraineeWrites(writes: readonly TraineeWrite[]): { joined: StoredParticipant[]; alerted: Alerted[]; ended: Array<{ participantId: string; n: number; endedAtMs: number }> } {
  const joined: StoredParticipant[] = [];
  const alerted = new Map<string, Alerted>();
  const ended = new Map<string, { participantId: string; n: number; endedAtMs: number }>();
  for (const w of writes) {
    if (w.kind === 'joined') {
      joined.push(w.participant);
      continue;
    }
    const key = `${w.participantId}\n${w.kind === 'alerted' ? w.response.n : w.n}`;
    if (w.kind === 'alerted') alerted.set(key, { ...w.response, participantId: w.participantId });
    else {
      const fresh = alerted.get(key);
      if (fresh) alerted.set(key, { ...fresh, endedAtMs: w.endedAtMs });
      else ended.set(key, { participantId: w.participantId, n: w.n, endedAtMs: w.endedAtMs });
    }
  }
  return { joined, alerted: [...alerted.values()], ended: [...ended.values()] };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
