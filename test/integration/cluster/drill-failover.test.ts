/**
 * A drill's acknowledged answers survive the death of the node that runs it: three `serve` nodes
 * on one Redis and one PostgreSQL (each with a data folder of its own, so the drill can only come
 * back from PostgreSQL). Trainees join and answer through the nodes that do not run the drill,
 * and the instructor alerts them through one; the owner is killed with SIGKILL, another node takes
 * the drill over from PostgreSQL, its report, asked of any live node, holds every acknowledged
 * answer, the phones that stayed connected to live nodes are counted present by the new owner,
 * and the trainees come back as themselves, sheltered.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../client/sdk/index.ts';
import { drillReportSchema, rosterSchema, snapshotSchema } from '../../../server/contract/wire.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { serveProcess, type ServerProcess } from '../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { joinAsTrainee, type Trainee } from '../../helpers/trainee.ts';
import { until } from '../../helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'ars-drill-failover-'));
let redis: TestRedis | undefined;
let postgres: TestPostgres | undefined;
let nodes: ServerProcess[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const env = { ...process.env, REDIS_URL: redis.url, DATABASE_URL: await postgres.database() };
  nodes = await Promise.all([0, 1, 2].map((i) => serveProcess(['--data-dir', join(dir, `node-${i}`)], env)));
  children.push(...nodes.map((n) => n.child));
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await redis?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('a drill on three nodes, one Redis and one PostgreSQL', () => {
  it("keeps every acknowledged answer when the node that runs it is killed; another node takes it over from PostgreSQL", async () => {
    const [entry, owner, other] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const created = (await (
      await fetch(`${owner.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenarioId: 'demo', kind: 'drill', autoplay: false, regions: ['UA-46'] }) })
    ).json()) as { id: string; joinCode: string; instructorToken: string };
    const trainees: Trainee[] = Array.from({ length: 6 }, (_, i) => ({ name: `Trainee ${i + 1}`, region: 'UA-46' }));
    // Every trainee on a node that does not run the drill: its joining and its answer are run by the owner.
    const nodeOf = (i: number) => (i % 2 ? entry : other).url;
    for (const [i, t] of trainees.entries()) await joinAsTrainee(nodeOf(i), created.id, t, created.joinCode);

    const instructor = connect({ url: entry.url, sessionId: created.id, role: 'instructor', token: created.instructorToken, socket: { reconnection: false } });
    await instructor.ready();
    const injected = await instructor.inject({ type: 'alert.start', region: 'UA-46', threats: ['drone'] });
    expect(injected.ok, JSON.stringify(injected)).toBe(true);
    instructor.close();
    await until(() => trainees.every((t) => t.state === 'alerted'), 'the alert on every phone', 10_000);

    const acknowledged = new Map<string, number>();
    for (const t of trainees.slice(0, 5)) {
      const ack = await t.client!.shelter();
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      if (ack.ok) acknowledged.set(t.participantId!, ack.responseWallMs);
    }
    const last = trainees[5]!;
    void last.client!.shelter().then((ack) => {
      if (ack.ok) acknowledged.set(last.participantId!, ack.responseWallMs);
    });
    owner.child.kill('SIGKILL');

    // Another node runs the drill again, read back from PostgreSQL.
    const deadline = Date.now() + 15_000;
    let snapshot: ReturnType<typeof snapshotSchema.parse> | undefined;
    while (!snapshot && Date.now() < deadline) {
      const response = await fetch(`${entry.url}/api/sessions/${created.id}`).catch(() => undefined);
      if (response?.status === 200) snapshot = snapshotSchema.parse(await response.json());
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(snapshot, 'the drill to be served again within 15 s').toBeDefined();
    expect(snapshot!.session.resumed).toBe(true);
    // The injected alert is still on: the new owner placed it where the old one had.
    expect(snapshot!.regions['UA-46']?.alert).toBeTruthy();

    const report = drillReportSchema.parse(await (await fetch(`${entry.url}/api/sessions/${created.id}/report`, { headers: { authorization: `Bearer ${created.instructorToken}` } })).json());
    expect(report.trainees).toBe(6);
    expect(acknowledged.size).toBeGreaterThanOrEqual(5);
    for (const [participantId, wallMs] of acknowledged) {
      expect(report.rows.find((r) => r.participantId === participantId)?.responseWallMs, participantId).toBe(wallMs);
    }
    // The phones stayed connected to the live nodes: the new owner counts them as present.
    const roster = async () => rosterSchema.parse(await (await fetch(`${other.url}/api/sessions/${created.id}/roster`, { headers: { authorization: `Bearer ${created.instructorToken}` } })).json());
    const connectedDeadline = Date.now() + 10_000;
    while ((await roster()).counts.connected < trainees.length && Date.now() < connectedDeadline) await new Promise((r) => setTimeout(r, 100));
    expect((await roster()).counts.connected).toBe(trainees.length);
    // Counted once each: when the phones leave, the roster shows nobody connected.
    for (const t of trainees) t.client?.close();
    const goneDeadline = Date.now() + 10_000;
    while ((await roster()).counts.connected > 0 && Date.now() < goneDeadline) await new Promise((r) => setTimeout(r, 100));
    expect((await roster()).counts.connected).toBe(0);
    // The trainees come back as themselves, through a live node, in the state they were in.
    for (const [i, t] of trainees.entries()) await joinAsTrainee(nodeOf(i), created.id, t, created.joinCode);
    for (const t of trainees.filter((t) => acknowledged.has(t.participantId!))) expect(t.state).toBe('sheltered');
    for (const t of trainees) t.client?.close();
  }, 90_000);
});
