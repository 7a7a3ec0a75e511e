/**
 * Nothing acknowledged is lost: a real server process running a drill is killed with SIGKILL at
 * random moments (six times, each time just after answers were acknowledged, with more answers
 * in flight), started again on the same data folder, and must give back every session, trainee
 * and acknowledged answer, the drill paused and marked as resumed, and the instructor's token
 * still valid. Trainees come back with their own id and secret.
 *
 * The same again with the drills in PostgreSQL (`DATABASE_URL`, a server of the test's own):
 * each restart gets the same DATABASE_URL but a new, empty data folder, so what comes back can
 * only have come from PostgreSQL.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../client/sdk/index.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { serveProcess, type ServerProcess } from '../../helpers/process.ts';
import { joinAsTrainee, type Trainee } from '../../helpers/trainee.ts';
import { drillReportSchema, rosterSchema, snapshotSchema } from '../../../server/contract/wire.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
let postgres: TestPostgres | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await postgres?.stop();
}, 30_000);

const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ars-crash-'));
  dirs.push(dir);
  return dir;
};

/** Where the drill is kept: the same data folder each time, or PostgreSQL and a new folder each time. */
interface Backend {
  readonly name: string;
  setUp(): Promise<void>;
  serve(): Promise<ServerProcess>;
}

const sqlite = (): Backend => {
  let dir: string;
  return {
    name: 'SQLite',
    setUp: async () => void (dir = dataDir()),
    serve: () => serveProcess(['--data-dir', dir]),
  };
};

const withPostgres = (): Backend => {
  let url: string;
  return {
    name: 'PostgreSQL',
    setUp: async () => {
      postgres = await startPostgres();
      url = await postgres.database();
    },
    serve: () => serveProcess(['--data-dir', dataDir()], { ...process.env, DATABASE_URL: url }),
  };
};

async function call(url: string, path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<{ status: number; body: unknown }> {
  const { json, token, ...rest } = init;
  const headers: Record<string, string> = { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${url}${path}`, { ...rest, headers, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each([sqlite(), withPostgres()])('a drill in $name survives SIGKILL', (backend) => {
  beforeAll(() => backend.setUp(), 60_000);
  const serve = async (): Promise<ServerProcess> => {
    const started = await backend.serve();
    children.push(started.child);
    return started;
  };

  it('keeps every session, trainee and acknowledged answer through six kills at random moments', async () => {
    let { child, url } = await serve();
    const created = (await call(url, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', kind: 'drill', speed: 10, autoplay: false } })).body as {
      id: string;
      joinCode: string;
      instructorToken: string;
    };
    const regions = ['UA-32', 'UA-46', 'UA-07'];
    const trainees: Trainee[] = Array.from({ length: 9 }, (_, i) => ({ name: `Trainee ${i + 1}`, region: regions[i % 3]! }));
    for (const t of trainees) await joinAsTrainee(url, created.id, t, created.joinCode);

    /** Every acknowledged answer: trainee and round, with its real response time. */
    const acknowledged: Array<{ participantId: string; round: number; wallMs: number }> = [];
    for (let round = 0; round < 6; round++) {
      const region = regions[round % 3]!;
      const inject = async (type: 'alert.start' | 'alert.end') => {
        const instructor = connect({ url, sessionId: created.id, role: 'instructor', token: created.instructorToken, socket: { reconnection: false } });
        await instructor.ready();
        const ack = await instructor.inject(type === 'alert.start' ? { type, region, threats: ['drone'] } : { type, region });
        instructor.close();
        if (!ack.ok) throw new Error(JSON.stringify(ack));
      };
      await inject('alert.start');
      const here = trainees.filter((t) => t.region === region);
      await until(() => here.every((t) => t.state === 'alerted'), `round ${round}: the alert on every phone in ${region}`);
      // The first two answer and are acknowledged; the last answers as the server is killed.
      for (const t of here.slice(0, 2)) {
        const ack = await t.client!.shelter();
        expect(ack.ok, JSON.stringify(ack)).toBe(true);
        if (ack.ok) acknowledged.push({ participantId: t.participantId!, round, wallMs: ack.responseWallMs });
      }
      const last = here[2]!;
      void last.client!.shelter().then((ack) => {
        if (ack.ok) acknowledged.push({ participantId: last.participantId!, round, wallMs: ack.responseWallMs });
      });
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      child.kill('SIGKILL');
      await once(child, 'exit');
      for (const t of trainees) t.client?.close();

      ({ child, url } = await serve());
      const snapshot = snapshotSchema.parse((await call(url, `/api/sessions/${created.id}`)).body);
      expect(snapshot.session.resumed).toBe(true);
      expect(snapshot.clock.playing).toBe(false);
      expect(snapshot.regions[region]!.alert).not.toBeNull();
      // The instructor's token still works: it reads the report, and every acknowledged answer is in it.
      const report = drillReportSchema.parse((await call(url, `/api/sessions/${created.id}/report`, { token: created.instructorToken })).body);
      expect(report.trainees).toBe(9);
      // Each trainee's rows are its alerts in order: its n-th alert is round 3n + its region's place.
      for (const a of acknowledged) {
        const rows = report.rows.filter((r) => r.participantId === a.participantId);
        expect(rows[Math.floor(a.round / 3)]?.responseWallMs, `${a.participantId} in round ${a.round}`).toBe(a.wallMs);
      }
      const roster = rosterSchema.parse((await call(url, `/api/sessions/${created.id}/roster`, { token: created.instructorToken })).body);
      expect(roster.resumed).toBe(true);
      expect(roster.participants.map((p) => p.name).sort()).toEqual(trainees.map((t) => t.name).sort());
      // Trainees come back as themselves, in the state they were in.
      for (const t of trainees) await joinAsTrainee(url, created.id, t, created.joinCode);
      for (const t of here.slice(0, 2)) expect(t.state).toBe('sheltered');
      expect((await call(url, `/api/sessions/${created.id}/control`, { method: 'POST', json: { action: 'speed', speed: 20 }, token: created.instructorToken })).status).toBe(200);
      await inject('alert.end');
      await until(() => here.every((t) => t.state === 'waiting' || t.state === 'missed'), `round ${round}: the all-clear`);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);
    for (const t of trainees) t.client?.close();
    child.kill('SIGKILL');
  }, 120_000);
});
