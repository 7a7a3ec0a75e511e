/**
 * Several nodes on one Redis and one PostgreSQL, as real processes: three `serve` nodes, clients spread
 * over them directly or through a balancer. Every client of a session gets the same items in the
 * same order whichever node it is on; a control sent to a node that does not run the session
 * takes effect; when the node that runs it is killed (SIGKILL) another takes it over within 5 s,
 * its clients reconnect through the balancer, and every client ends with the same items.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SimClient } from '../../../client/sdk/index.ts';
import { startBalancer, type Balancer } from '../../helpers/balancer.ts';
import { serveProcess, type ServerProcess } from '../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { until } from '../../helpers/server.ts';
import { startReceiver } from '../webhooks/receiver.ts';
import { healthSchema, snapshotSchema } from '../../../server/contract/wire.ts';
import { connectRedis } from '../../../server/cluster/redis.ts';
import { firstValueFrom, timeout } from 'rxjs';

const dir = mkdtempSync(join(tmpdir(), 'ars-cluster-'));
let redis: TestRedis;
let postgres: TestPostgres | undefined;
let databaseUrl = '';
let nodes: ServerProcess[] = [];
let balancer: Balancer;
const children: ChildProcess[] = [];

async function node(i: number): Promise<ServerProcess> {
  const env = { ...process.env, REDIS_URL: redis.url, DATABASE_URL: databaseUrl, CONNECTIONS_PER_ADDRESS: '2000', CONNECTIONS_PER_SECOND: '2000', SESSIONS_PER_ADDRESS: '100' };
  const started = await serveProcess(['--data-dir', join(dir, `node-${i}`)], env);
  children.push(started.child);
  return started;
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  databaseUrl = await postgres.database();
  nodes = await Promise.all([0, 1, 2].map(node));
  balancer = await startBalancer(nodes.map((n) => ({ host: '127.0.0.1', port: Number(new URL(n.url).port) })));
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await balancer?.close();
  await redis?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

interface Created {
  id: string;
  instructorToken: string;
}

async function create(url: string, body: object): Promise<Created> {
  const response = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

/** A viewer that keeps the seq and kind of every item it is handed, and whether the night ended. */
class Watcher {
  readonly items: string[] = [];
  /** Seqs of the alert changes (what a webhook is told of). */
  readonly alertChanges: number[] = [];
  readonly at: number[] = [];
  gaps = 0;
  ended = false;
  snapshots = 0;
  readonly client: SimClient;
  constructor(url: string, sessionId: string) {
    this.client = connect({ url, sessionId, fold: false, socket: { reconnectionDelay: 100, reconnectionDelayMax: 500 } });
    this.client.snapshot$.subscribe(() => (this.snapshots += 1));
    this.client.event$.subscribe((e) => {
      this.items.push(`${e.seq}:${e.id}`);
      if (e.type === 'alert.start' || e.type === 'alert.end') this.alertChanges.push(e.seq);
      this.at.push(Date.now());
    });
    this.client.clock$.subscribe((c) => {
      this.items.push(`${c.seq}:clock`);
      this.at.push(Date.now());
      if (!c.playing && c.positionMs >= c.durationMs) this.ended = true;
    });
    this.client.gap$.subscribe(() => (this.gaps += 1));
  }
}

describe('three nodes on one Redis', () => {
  it('gives 300 clients spread over the nodes the same items, and obeys a control sent to a node that does not run the session', async () => {
    const session = await create(nodes[0]!.url, { scenarioId: '2025-12-06-barrage', speed: 3600, autoplay: false });
    const watchers = Array.from({ length: 300 }, (_, i) => new Watcher(nodes[i % 3]!.url, session.id));
    try {
      await until(() => watchers.every((w) => w.snapshots === 1), 'every client to get its snapshot', 30_000);
      const instructor = connect({ url: nodes[2]!.url, sessionId: session.id, role: 'instructor', token: session.instructorToken, fold: false });
      await until(() => instructor.lastSeq !== undefined, 'the instructor to connect to a node that does not run the session', 10_000);
      const played = await instructor.control({ action: 'play' });
      expect(played.ok && played.clock.playing).toBe(true);
      await until(() => watchers.every((w) => w.ended), 'the night to end for every client', 60_000);
      instructor.close();
      const reference = watchers[0]!.items;
      expect(reference.length).toBeGreaterThan(100);
      const seqs = reference.map((item) => Number(item.split(':')[0]));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // no gap
      for (const w of watchers) {
        expect(w.items).toEqual(reference);
        expect(w.gaps).toBe(0);
      }
    } finally {
      for (const w of watchers) w.client.close();
    }
  }, 120_000);

  it('moves a session to another node within 5 s when its node is killed; every client ends with the same items, its webhook goes on', async () => {
    const owner = nodes[1]!;
    const session = await create(owner.url, { scenarioId: '2025-12-06-barrage', speed: 2400, autoplay: false });
    // A webhook registered through another node: kept by the owner, and shared for a take-over.
    const receiver = await startReceiver('a-secret-of-sixteen-chars');
    const registered = await fetch(`${nodes[0]!.url}/api/sessions/${session.id}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.instructorToken}` },
      body: JSON.stringify({ url: receiver.url, secret: 'a-secret-of-sixteen-chars' }),
    });
    expect(registered.status).toBe(201);
    const watchers = Array.from({ length: 30 }, () => new Watcher(balancer.url, session.id));
    try {
      await until(() => watchers.every((w) => w.snapshots === 1), 'every client to get its snapshot', 30_000);
      const played = await fetch(`${nodes[0]!.url}/api/sessions/${session.id}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.instructorToken}` },
        body: JSON.stringify({ action: 'play' }),
      });
      expect(played.status).toBe(200);
      await until(() => watchers.every((w) => w.items.length > 20), 'every client to get items', 30_000);
      const killedAt = Date.now();
      owner.child.kill('SIGKILL');
      // Another node answers for the session, playing, once it has taken it over.
      let resumedAt = 0;
      while (!resumedAt && Date.now() - killedAt < 15_000) {
        const response = await fetch(`${nodes[0]!.url}/api/sessions/${session.id}`).catch(() => undefined);
        if (response?.status === 200 && snapshotSchema.parse(await response.json()).clock.playing) resumedAt = Date.now();
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(resumedAt - killedAt).toBeLessThan(5000);
      const seenAtTakeOver = Math.max(...watchers.map((w) => w.client.lastSeq ?? 0));
      if (process.env.CLUSTER_DEBUG) console.log('taken over after', resumedAt - killedAt, 'ms');
      await until(() => watchers.every((w) => w.ended), 'the night to end for every client', 90_000);
      const reference = watchers[0]!.items;
      if (process.env.CLUSTER_DEBUG) console.log('ended after', Date.now() - killedAt, 'ms', reference.length, 'items', watchers.map((w) => `${w.client.stats.connects}/${w.snapshots}/${w.gaps}`).join(' '));
      const seqs = reference.map((item) => Number(item.split(':')[0]));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // no gap
      for (const w of watchers) expect(w.items).toEqual(reference);
      // The clients of the killed node came back (to a live node) on their own.
      expect(watchers.filter((w) => w.client.stats.connects > 1).length).toBeGreaterThan(0);
      // Every alert change the new owner broadcast was posted to the webhook, signed, once.
      const after = watchers[0]!.alertChanges.filter((seq) => seq > seenAtTakeOver);
      expect(after.length).toBeGreaterThan(0);
      const delivered = () => new Set([...receiver.recorded.values()].map((p) => p.event.seq));
      await until(() => after.every((seq) => delivered().has(seq)), 'the webhook to get every alert change after the take-over', 15_000);
      expect(receiver.badSignatures).toBe(0);
    } finally {
      for (const w of watchers) w.client.close();
      await receiver.close();
    }
  }, 150_000);

  it('serves the compatible feeds from any node: a session by its id, and one default session for all nodes', async () => {
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    expect(live.length).toBeGreaterThanOrEqual(2);
    const session = await create(live[0]!.url, { scenarioId: '2025-12-06-barrage', speed: 60, autoplay: true });
    for (const n of live) {
      const response = await fetch(`${n.url}/compat/alerts-in-ua/${session.id}/v1/iot/active_air_raid_alerts_by_oblast.json?token=t`);
      expect(response.status).toBe(200);
    }
    const count = async () => {
      let total = 0;
      const ids = new Set<string>();
      for (const n of live) {
        const health = healthSchema.parse(await (await fetch(`${n.url}/api/health`)).json());
        total += health.sessions;
        ids.add(health.node!);
      }
      expect(ids.size).toBe(live.length); // each node says which it is
      return total;
    };
    const before = await count();
    for (const n of [...live, ...live]) {
      const response = await fetch(`${n.url}/compat/alerts-in-ua/default/v1/iot/active_air_raid_alerts_by_oblast.json?token=t`);
      expect(response.status).toBe(200);
    }
    expect(await count()).toBe(before + 1);
  }, 60_000);

  it('refuses a connection-level fault profile on a node that does not run the session, naming what to do', async () => {
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const session = await create(live[0]!.url, { scenarioId: '2025-12-06-barrage', autoplay: false });
    const client = connect({ url: live[1]!.url, sessionId: session.id, faults: { seed: 1, drop: { rate: 0.5 } }, socket: { reconnection: false } });
    try {
      const error = await firstValueFrom(client.error$.pipe(timeout(10_000)));
      expect(error.error.code).toBe('invalid_handshake');
      expect(error.error.message).toMatch(/faults/);
    } finally {
      client.close();
    }
  }, 30_000);

  it('hands its sessions over at once when a node is stopped with SIGTERM', async () => {
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const leaving = live[live.length - 1]!;
    const session = await create(leaving.url, { scenarioId: '2025-12-06-barrage', speed: 60, autoplay: true });
    const redisClient = await connectRedis(redis.url);
    try {
      const owner = await redisClient.get(`sim:owner:${session.id}`);
      expect(owner).toBeTruthy();
      const exited = new Promise((resolve) => leaving.child.once('exit', resolve));
      leaving.child.kill('SIGTERM');
      await exited;
      // Its lease (2 s) was given back, not left to lapse: free, or already another node's.
      const after = await redisClient.get(`sim:owner:${session.id}`);
      expect(after === null || after !== owner).toBe(true);
      const response = await fetch(`${live[0]!.url}/api/sessions/${session.id}`);
      expect(response.status).toBe(200);
    } finally {
      await redisClient.quit();
    }
  }, 30_000);
});
