/**
 * `npm run bench -- abuse`: the attacks of the security review, each bounded in count and time,
 * against a live server process, while a canary viewer plays another session at 60x. For each
 * attack: the canary's lag (p99, ms past each event's due time) while it runs, the server's heap
 * (after a full collection) before and after, and the outcome: the answers it got, 5xx among
 * them, and whether the process survived.
 *
 * Every attack comes from its own loopback address (127.0.1.n), the canary from 127.0.0.1, so
 * that per-address quotas bite the attacker and not the bystander, as they would on a network.
 * Goals: no crash, no 5xx, canary p99 under 100 ms, heap back within 20% of its start.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { io as connect, Manager, type Socket } from 'socket.io-client';
import { stringify } from 'yaml';
import { generateScenario } from '../server/scenario/generate.ts';
import { ROOT, startServerProcess, type ServerProcess } from './processes.ts';
import { machine, percentile, writeResults } from './stats.ts';

const GC_PRELOAD = ['--expose-gc', '--import', './bench/gc-on-signal.js'];
const GOALS = { p99LagMs: 100, heapGrowth: 0.2 };
/** Idle sessions are reaped after 3 s here, so that each attack's sessions are gone before the next. */
const IDLE_MINUTES = '0.05';
const REAP_WAIT_MS = 7000;

interface Reply {
  readonly status: number;
  readonly body: string;
}

interface Context {
  readonly url: string;
  /** The attacker's own loopback address. */
  readonly from: string;
  readonly canarySessionId: string;
  tally(outcome: string): void;
  http(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Reply>;
  socket(auth: Record<string, unknown>): Socket;
}

interface Attack {
  readonly name: string;
  run(ctx: Context): Promise<void>;
}

function send(url: string, from: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const target = new URL(path, url);
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method, localAddress: from, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += text.length < 100_000 ? chunk : ''));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: 'connection reset' }));
    req.end(body);
  });
}

/** `413 payload_too_large`: status and code, the outcome of one request. */
function outcome(reply: Reply): string {
  if (reply.status === 0) return 'reset';
  try {
    const code = (JSON.parse(reply.body) as { error?: { code?: string } }).error?.code;
    return code ? `${reply.status} ${code}` : String(reply.status);
  } catch {
    return String(reply.status);
  }
}

const header = (id: string) => ({ id, title: { en: id }, description: { en: id }, start: '2025-12-05T18:00:00+02:00', timeZone: 'Europe/Kyiv', sources: [] });
const wave = (id: string, route: unknown[], speedKmh: number) => ({ id, threat: 'drone', count: 1, launch: { at: '00:00', from: { name: 'x', position: [0, 0] } }, route, speedKmh });
const JSON_TYPE = { 'content-type': 'application/json' };
const YAML_TYPE = { 'content-type': 'application/yaml' };

/** Connects and resolves with the connect error's code, or 'connected'. */
function attempt(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect_error', (error: Error & { data?: { error?: { code?: string } } }) => resolve(`refused ${error.data?.error?.code ?? error.message}`));
    socket.once('connect', () => resolve('connected'));
    socket.connect();
  });
}

async function createSession(ctx: Context, body: Record<string, unknown>): Promise<{ id: string; instructorToken: string; joinCode: string }> {
  const reply = await ctx.http('POST', '/api/sessions', JSON.stringify(body), JSON_TYPE);
  if (reply.status !== 201) throw new Error(`session not created: ${reply.status} ${reply.body.slice(0, 200)}`);
  return JSON.parse(reply.body) as { id: string; instructorToken: string; joinCode: string };
}

const ATTACKS: Attack[] = [
  {
    name: 'twenty 19 MB uploads',
    async run(ctx) {
      const body = `# ${'x'.repeat(19 * 1024 * 1024)}`;
      for (let i = 0; i < 20; i++) ctx.tally(outcome(await ctx.http('POST', '/api/scenarios', body, YAML_TYPE)));
    },
  },
  {
    name: '4 KB zig-zag waves, 30,000 YAML aliases, 8,000 events at one instant, 30 km/h waves (x3 each)',
    async run(ctx) {
      const zigzag = stringify({ ...header('zigzag'), waves: ['a', 'b'].map((id) => wave(id, Array.from({ length: 256 }, (_, i) => (i % 2 ? [0, 0] : [179, 0])), 180)) });
      const anchors = Array.from({ length: 300 }, (_, i) => `a${i}: &a${i} { k: ${i} }`).join('\n');
      const aliases = `${anchors}\nuses:\n${Array.from({ length: 300 }, (_, i) => `  - [${Array(100).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`;
      const crowd = JSON.stringify({ ...header('crowd'), events: Array.from({ length: 8000 }, () => ({ at: '00:01', type: 'jets.scrambled', country: 'PL' })) });
      const slow = JSON.stringify({ ...header('slow'), alerting: { movePeriodMinutes: 1 }, waves: ['a', 'b', 'c'].map((id) => wave(id, [[40, 0]], 30)) });
      for (let i = 0; i < 3; i++) {
        ctx.tally(outcome(await ctx.http('POST', '/api/scenarios', zigzag, YAML_TYPE)));
        ctx.tally(outcome(await ctx.http('POST', '/api/scenarios', aliases, YAML_TYPE)));
        ctx.tally(outcome(await ctx.http('POST', '/api/scenarios', crowd, JSON_TYPE)));
        ctx.tally(outcome(await ctx.http('POST', '/api/scenarios', slow, JSON_TYPE)));
      }
    },
  },
  {
    name: 'a valid 18,000-event upload (3.5 MB), read back in pages, deleted',
    async run(ctx) {
      const scenario = { ...generateScenario({ events: 18_000, seed: 3, durationMs: 10 * 3_600_000 }), id: 'bulk' };
      const reply = await ctx.http('POST', '/api/scenarios', JSON.stringify(scenario), JSON_TYPE);
      ctx.tally(outcome(reply));
      if (reply.status !== 201) return;
      for (let offset = 0; offset < 18_000; offset += 5000) ctx.tally(outcome(await ctx.http('GET', `/api/scenarios/bulk?offset=${offset}`)));
      const { deleteToken } = JSON.parse(reply.body) as { deleteToken: string };
      ctx.tally(outcome(await ctx.http('DELETE', '/api/scenarios/bulk', undefined, { authorization: `Bearer ${deleteToken}` })));
    },
  },
  {
    name: '1,000 sessions from one address',
    async run(ctx) {
      const body = JSON.stringify({ scenarioId: '2025-12-06-barrage', speed: 3600, loop: true });
      for (let i = 0; i < 1000; i++) ctx.tally(outcome(await ctx.http('POST', '/api/sessions', body, JSON_TYPE)));
    },
  },
  {
    name: '200 injects in a burst',
    async run(ctx) {
      const s = await createSession(ctx, { scenarioId: '2025-12-06-barrage', autoplay: false });
      const socket = ctx.socket({ sessionId: s.id, role: 'instructor', token: s.instructorToken });
      await attempt(socket);
      const acks = Array.from({ length: 200 }, () => new Promise<string>((resolve) => socket.emit('inject', { event: { type: 'jets.scrambled', country: 'PL' } }, (a: { ok: boolean; error?: { code: string } }) => resolve(a.ok ? 'ok' : a.error!.code))));
      for (const a of await Promise.all(acks)) ctx.tally(a);
      socket.close();
    },
  },
  {
    name: '1,000 ghost trainees with the right code',
    async run(ctx) {
      const s = await createSession(ctx, { scenarioId: '2025-12-06-barrage', autoplay: false, kind: 'drill' });
      const manager = new Manager(ctx.url, { transports: ['websocket'], reconnection: false, forceNew: true, localAddress: ctx.from } as never);
      const socket = manager.socket('/');
      for (let i = 0; i < 1000; i++) {
        socket.auth = { sessionId: s.id, role: 'trainee', joinCode: s.joinCode, name: `ghost ${i}`, region: 'UA-46' };
        const result = await attempt(socket);
        ctx.tally(result);
        if (result === 'connected') socket.disconnect();
      }
      manager.engine?.close();
    },
  },
  {
    name: '2,000 wrong join codes over one websocket, then REST',
    async run(ctx) {
      const s = await createSession(ctx, { scenarioId: '2025-12-06-barrage', autoplay: false, kind: 'drill' });
      // A viewer keeps the drill alive (idle sessions are reaped after 3 s in this run).
      await attempt(ctx.socket({ sessionId: s.id, role: 'viewer' }));
      const manager = new Manager(ctx.url, { transports: ['websocket'], reconnection: false, forceNew: true, localAddress: ctx.from } as never);
      const socket = manager.socket('/');
      for (let i = 0; i < 2000; i++) {
        socket.auth = { sessionId: s.id, role: 'trainee', joinCode: `ZZ${String(1000 + i).slice(-4)}`, name: 'guess', region: 'UA-46' };
        ctx.tally(await attempt(socket));
      }
      manager.engine?.close();
      for (let i = 0; i < 100; i++) ctx.tally(outcome(await ctx.http('GET', `/api/join/ZZZ${String(100 + i)}`)));
    },
  },
  {
    name: '300 resumes 9,000 items behind',
    async run(ctx) {
      for (let i = 0; i < 300; i++) {
        const socket = ctx.socket({ sessionId: ctx.canarySessionId, role: 'viewer', lastSeq: 1 });
        const first = await new Promise<string>((resolve) => {
          socket.once('snapshot', () => resolve('snapshot'));
          socket.once('events', () => resolve('items'));
          socket.once('connect_error', () => resolve('refused'));
          socket.connect();
        });
        ctx.tally(first);
        socket.close();
      }
    },
  },
  {
    name: '300 connections from one address',
    async run(ctx) {
      const sockets = Array.from({ length: 300 }, () => ctx.socket({ sessionId: ctx.canarySessionId, role: 'viewer' }));
      for (const r of await Promise.all(sockets.map(attempt))) ctx.tally(r);
      for (const s of sockets) s.close();
    },
  },
  {
    name: '300 oversized (100 KB) socket messages',
    async run(ctx) {
      const socket = ctx.socket({ sessionId: ctx.canarySessionId, role: 'viewer' });
      await attempt(socket);
      const pad = 'ж'.repeat(50 * 1024);
      const acks = Array.from({ length: 300 }, () =>
        Promise.race([
          new Promise<string>((resolve) => socket.emit('control', { action: 'pause', pad }, (a: { ok: boolean; error?: { code: string } }) => resolve(a.ok ? 'ok' : a.error!.code))),
          new Promise<string>((resolve) => socket.once('disconnect', () => resolve('disconnected'))),
        ]),
      );
      for (const a of await Promise.all(acks)) ctx.tally(a);
      socket.close();
    },
  },
  {
    name: '1,000 malformed URLs, "constructor" injected',
    async run(ctx) {
      for (let i = 0; i < 1000; i++) ctx.tally(outcome(await ctx.http('GET', '/api/sessions/%E0%A4%A')));
      const s = await createSession(ctx, { scenarioId: '2025-12-06-barrage', autoplay: false });
      const socket = ctx.socket({ sessionId: s.id, role: 'instructor', token: s.instructorToken });
      await attempt(socket);
      for (const aircraft of ['constructor', '__proto__']) {
        ctx.tally(await new Promise<string>((resolve) => socket.emit('inject', { event: { type: 'carrier.takeoff', aircraft } }, (a: { ok: boolean; error?: { code: string } }) => resolve(a.ok ? 'inject ok' : a.error!.code))));
      }
      socket.close();
    },
  },
  {
    name: 'a session at 3600x with loop on, for 10 s',
    async run(ctx) {
      await createSession(ctx, { scenarioId: '2025-12-06-barrage', speed: 3600, loop: true });
      await new Promise((r) => setTimeout(r, 10_000));
      ctx.tally('ran 10 s');
    },
  },
];

/** A viewer of another session, in its own thread (bench/canary-worker.js), that records how late each event arrives. */
class Canary {
  readonly lag: Array<{ at: number; ms: number }> = [];
  private readonly worker: Worker;

  constructor(url: string, sessionId: string) {
    this.worker = new Worker(new URL('./canary-worker.js', import.meta.url), { workerData: { url, sessionId } });
    this.worker.on('message', (batch: Array<{ at: number; ms: number }>) => {
      for (const l of batch) this.lag.push(l);
    });
  }

  p99(from: number, to: number): number {
    return percentile(this.lag.filter((l) => l.at >= from && l.at <= to).map((l) => l.ms), 99);
  }

  close(): void {
    this.worker.postMessage('close');
  }
}

interface Result {
  readonly attack: string;
  readonly canaryP99Ms: number;
  readonly serverLoopMaxMs: number;
  /** The machine's 1-minute load average at the end of the attack: other work competes for the cores. */
  readonly load: number;
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly outcomes: Record<string, number>;
  readonly serverErrors: number;
  readonly crashed: boolean;
  readonly wallS: number;
}

export async function runAbuseBench(options: { out: string }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'abuse-bench-'));
  // The canary's night: 1,200 events over 20 minutes, 20 s at 60x, looping.
  writeFileSync(join(dir, 'canary.json'), JSON.stringify({ ...generateScenario({ events: 1200, seed: 7, durationMs: 20 * 60_000 }), id: 'canary' }));
  const args = [...GC_PRELOAD, 'server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--idle-minutes', IDLE_MINUTES, '--scenarios', dir];
  const server: ServerProcess = await startServerProcess(args, { cwd: ROOT });
  const reading = async () => {
    const m = await server.settledMemory();
    return { heapMb: (m.heapKb ?? Number.NaN) / 1024, loopMaxMs: m.loopMaxMs ?? Number.NaN };
  };
  const canarySession = JSON.parse((await send(server.url, '127.0.0.1', 'POST', '/api/sessions', JSON.stringify({ scenarioId: 'canary', speed: 60, loop: true }), JSON_TYPE)).body) as { id: string };
  const canary = new Canary(server.url, canarySession.id);
  await new Promise((r) => setTimeout(r, 2000));
  process.stdout.write(`abuse benchmark: ${ATTACKS.length} attacks against ${server.url}, canary at 60x on another session\n`);

  const results: Result[] = [];
  for (const [n, attack] of ATTACKS.entries()) {
    const from = `127.0.1.${n + 1}`;
    const outcomes: Record<string, number> = {};
    const sockets: Socket[] = [];
    const ctx: Context = {
      url: server.url,
      from,
      canarySessionId: canarySession.id,
      tally: (o) => void (outcomes[o] = (outcomes[o] ?? 0) + 1),
      http: (method, path, body, headers) => send(server.url, from, method, path, body, headers),
      socket: (auth) => {
        const s = connect(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, localAddress: from } as never);
        sockets.push(s);
        return s;
      },
    };
    const { heapMb: heapBefore } = await reading();
    const started = Date.now();
    try {
      await attack.run(ctx);
    } catch (error) {
      ctx.tally(`bench error: ${(error as Error).message.slice(0, 80)}`);
    }
    const ended = Date.now();
    for (const s of sockets) s.close();
    // The server's own worst event-loop delay over the attack (read, and reset, right after it).
    const { loopMaxMs } = await reading();
    await new Promise((r) => setTimeout(r, REAP_WAIT_MS));
    const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
    const result: Result = {
      attack: attack.name,
      canaryP99Ms: Math.round(canary.p99(started, ended + 1000)),
      heapBeforeMb: Math.round(heapBefore * 10) / 10,
      heapAfterMb: crashed ? Number.NaN : Math.round((await reading()).heapMb * 10) / 10,
      serverLoopMaxMs: Math.round(loopMaxMs),
      load: Math.round(loadavg()[0]! * 10) / 10,
      outcomes,
      serverErrors: Object.entries(outcomes).filter(([o]) => /^5\d\d/.test(o)).reduce((sum, [, k]) => sum + k, 0),
      crashed,
      wallS: Math.round((ended - started) / 100) / 10,
    };
    results.push(result);
    process.stdout.write(`  ${attack.name}: p99 ${result.canaryP99Ms} ms, server loop max ${result.serverLoopMaxMs} ms, heap ${result.heapBeforeMb} → ${result.heapAfterMb} MB, ${JSON.stringify(outcomes)}\n`);
    if (crashed) break;
  }
  canary.close();
  await server.stop();
  printResults(results);
  writeResults(options.out, { machine: machine(), goals: GOALS, results });
}

function printResults(results: readonly Result[]): void {
  const rows = results.map((r) => {
    const heapOk = r.heapAfterMb <= r.heapBeforeMb * (1 + GOALS.heapGrowth);
    const met = !r.crashed && r.serverErrors === 0 && r.canaryP99Ms < GOALS.p99LagMs && heapOk;
    const outcomes = Object.entries(r.outcomes).map(([o, k]) => `${k}× ${o}`).join(', ');
    return `| ${r.attack} | ${r.canaryP99Ms} | ${r.serverLoopMaxMs} | ${r.load} | ${r.heapBeforeMb} → ${r.heapAfterMb} | ${r.crashed ? 'crash' : outcomes} | ${met ? 'met' : 'missed'} |`;
  });
  process.stdout.write(`\n| attack | canary p99 lag, ms | server loop max delay, ms | load | heap, MB | outcome | goals |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
}
