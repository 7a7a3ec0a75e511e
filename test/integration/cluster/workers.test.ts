/**
 * `serve --workers 2` on one Redis: one port, two processes. Clients on websockets and on
 * long-polling (which needs every request of a connection to reach the same worker) get the same
 * items; a worker killed mid-replay is replaced, and the replay goes on for every client.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SimClient } from '../../../client/sdk/index.ts';
import { serveProcess, type ServerProcess } from '../../helpers/process.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { until } from '../../helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'ars-workers-'));
let redis: TestRedis;
let server: ServerProcess;
let serverErr = '';

beforeAll(async () => {
  redis = await startRedis();
  const env = { ...process.env, REDIS_URL: redis.url, CONNECTIONS_PER_ADDRESS: '2000', CONNECTIONS_PER_SECOND: '2000' };
  server = await serveProcess(['--workers', '2', '--data-dir', dir, '--log-level', 'warn'], env);
  server.child.stderr!.on('data', (d: Buffer) => (serverErr += d.toString()));
  server.child.stdout!.on('data', (d: Buffer) => (serverErr += d.toString()));
}, 60_000);

afterAll(async () => {
  for (const pid of workers()) process.kill(pid, 'SIGKILL');
  server?.child.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function workers(): number[] {
  if (!server?.child.pid) return [];
  try {
    return execFileSync('pgrep', ['-P', String(server.child.pid), '-f', 'bin.js'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

class Watcher {
  readonly items: string[] = [];
  ended = false;
  snapshots = 0;
  readonly client: SimClient;
  readonly status: string[] = [];
  constructor(sessionId: string, transport: 'websocket' | 'polling') {
    this.client = connect({ url: server.url, sessionId, fold: false, socket: { transports: [transport], reconnectionDelay: 100, reconnectionDelayMax: 500 } });
    this.client.snapshot$.subscribe(() => (this.snapshots += 1));
    this.client.status$.subscribe((s) => this.status.push(`${s}@${Date.now()}`));
    this.client.event$.subscribe((e) => this.items.push(`${e.seq}:${e.id}`));
    this.client.clock$.subscribe((c) => {
      this.items.push(`${c.seq}:clock`);
      if (!c.playing && c.positionMs >= c.durationMs) this.ended = true;
    });
  }
}

describe('serve --workers 2', () => {
  it('serves websocket and long-polling clients alike, and goes on when a worker is killed', async () => {
    expect(workers()).toHaveLength(2);
    const response = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenarioId: '2025-12-06-barrage', speed: 2400, autoplay: false }) });
    expect(response.status).toBe(201);
    const session = (await response.json()) as { id: string; instructorToken: string };
    const watchers = [...Array.from({ length: 20 }, () => new Watcher(session.id, 'websocket')), ...Array.from({ length: 10 }, () => new Watcher(session.id, 'polling'))];
    try {
      await until(() => watchers.every((w) => w.snapshots === 1), 'every client to get its snapshot', 30_000);
      const played = await fetch(`${server.url}/api/sessions/${session.id}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.instructorToken}` },
        body: JSON.stringify({ action: 'play' }),
      });
      expect(played.status, await played.clone().text()).toBe(200);
      await until(() => watchers.every((w) => w.items.length > 20), 'items to reach every client', 30_000);
      const [victim] = workers();
      let killedAt = 0;
      process.kill(victim!, 'SIGKILL');
      killedAt = Date.now();
      await until(() => watchers.every((w) => w.ended || (w.client.lastSeq === watchers[0]!.client.lastSeq && watchers[0]!.ended)), 'the night to end for every client', 60_000).catch((error: unknown) => {
        // What each client saw (items, connections, snapshots, connect/disconnect times), for the failure report.
        console.log(serverErr, `killed at ${killedAt}`, watchers.map((w, i) => `${i}: ${w.items.length} items, ${w.client.stats.connects} connects, ${w.snapshots} snapshots, ${w.status.join(',')}`).join('\n'));
        throw error;
      });
      const reference = watchers[0]!.items;
      const seqs = reference.map((item) => Number(item.split(':')[0]));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      // Websocket clients see their worker die at once and resume from the shared log: the same items.
      for (const w of watchers.slice(0, 20)) expect(w.items).toEqual(reference);
      // Long-polling clients learn it from the heartbeat (up to 15 s): they come back and end where
      // the others did, with a snapshot over what went by meanwhile, and nothing out of place.
      const bySeq = new Map(reference.map((item) => [Number(item.split(':')[0]), item]));
      for (const w of watchers.slice(20)) {
        expect(w.client.lastSeq).toBe(watchers[0]!.client.lastSeq);
        for (const item of w.items) expect(bySeq.get(Number(item.split(':')[0]))).toBe(item);
      }
      await until(() => workers().length === 2 && !workers().includes(victim!), 'the killed worker to be replaced', 20_000);
    } finally {
      for (const w of watchers) w.client.close();
    }
  }, 150_000);
});
