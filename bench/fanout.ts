/**
 * Fan-out of the live server: N socket.io viewers in one session on one server process, the
 * seed night replayed at 60x (its densest stretch) and at 3600x (the whole night), each run
 * measured after a few seconds of warm-up. Beside it, in the same run, a bare socket.io server
 * (bench/bare-server.ts) broadcasting the same payloads at the same times to the same number of
 * clients.
 *
 * Who runs where: each server in its own child process, measured from outside (/proc); the
 * viewers in a forked load generator (bench/fanout-load.ts); in this process one more viewer,
 * the probe, which records what the simulator sent, for the baseline to replay on the
 * simulator's schedule. The load generator shares the machine's two cores with the server, so
 * absolute lags include its own queue: a broadcast's copies are handled one after another.
 * The baseline pays the same, which is why the ratios are the figures to read.
 *
 * Lag is receipt time minus due time, the due time computed from the latest clock (see
 * fanout-client.ts). The bare server shifts the clocks it replays by its own start, so the same
 * code computes both runs' lags against the same due times. Both include the engine's frame
 * batching (up to 16 ms, by design): the baseline keeps the simulator's batches and frames.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FRAME_MS } from '../server/engine/replay.ts';
import type { Recording, RecordedMessage } from './bare-server.ts';
import { connectViewer, epochNow, Tally, waitForSeq, type Clock, type Viewer } from './fanout-client.ts';
import type { LoadCommand, LoadReply, LoadResult } from './fanout-load.ts';
import { CLOCK_TICKS, cpuSeconds, ephemeralPorts, openFileLimit, startServerProcess, stopProcess, track, writeCalls, type Memory, type ServerProcess } from './processes.ts';
import { fmt, machine, printTable, writeResults, type Row } from './stats.ts';

export interface FanoutBenchOptions {
  readonly clients: readonly number[];
  /** Wall seconds of the 60x run. */
  readonly window: number;
  /** Load generator processes the viewers are spread over. */
  readonly loadProcesses: number;
  readonly out: string;
}

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCENARIO_ID = '2025-12-06-barrage';
/**
 * Both servers get the same preload: a full GC on SIGUSR2, before each memory reading. And the
 * same extra Node flags, if any, from BENCH_SERVER_NODE_ARGS: `--cpu-prof --cpu-prof-dir=prof`
 * profiles both (Node refuses --cpu-prof in NODE_OPTIONS).
 */
const GC_PRELOAD = [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--expose-gc', '--import', './bench/gc-on-signal.js'];
/** Every viewer comes from 127.0.0.1: the per-address connection limits are lifted for the run. */
export const SIM_ARGS = [...GC_PRELOAD, 'server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--connections-per-address', '1000000', '--connections-per-second', '1000000'];
const bareArgs = (recording: string) => [...GC_PRELOAD, '--import', 'tsx', 'bench/bare-server.ts', recording];

const GOALS = { ratioAtMost: 1.1, p99AtMostMs: { 60: 60, 3600: 100 } as Record<number, number>, forClientsUpTo: 1000 };
/** File descriptors a process uses besides its sockets (stdio, the loader, epoll, IPC …). */
const FD_MARGIN = 128;
/**
 * How long viewers may still take to receive the last item once the replay is over: a saturated
 * load generator can be many seconds behind, and a late item is not a lost one.
 */
const DRAIN_MS = 60_000;

/**
 * What is replayed, from where, for how long. Each run first plays `warmupMs` of wall time,
 * unmeasured (a fresh process's first broadcasts run cold code), then the measured window.
 */
export interface Plan {
  readonly speed: number;
  /** Where the session starts: `warmupMs` of wall time before the window. */
  readonly startMs: number;
  readonly warmupMs: number;
  /** The measured window, in scenario time, and its length in wall time. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly wallMs: number;
  /** It runs to the end of the night (which sends its own final clock) rather than being paused. */
  readonly toEnd: boolean;
  /** Events of the scenario in the window. */
  readonly events: number;
}

/** The figures of one server in one run. */
export interface Side {
  readonly connectMs: number;
  readonly messagesPerClient: number;
  readonly itemsPerClient: number;
  readonly deliveredMessages: number;
  readonly lost: number;
  readonly misordered: number;
  readonly disconnects: number;
  /** Why, as socket.io-client tells it ('ping timeout': the viewer was too far behind to answer pings). */
  readonly disconnectReasons: Readonly<Record<string, number>>;
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  /** From the window's start until every viewer had the last item (the drain included). */
  readonly wallSeconds: number;
  /** The server's CPU over those seconds, and per message delivered in the window (probe included). */
  readonly cpuSeconds: number;
  readonly cpuUsPerMessage: number;
  /** The server's write system calls per message delivered in the window (fewer: more messages per call). */
  readonly writeCallsPerMessage: number;
  /** Server memory after a full GC: before the viewers connected, once they had, after the run. */
  readonly memoryKb: { readonly before: Memory; readonly afterConnect: Memory; readonly afterRun: Memory };
  /** Resident memory the connections added; and the JS heap (with Buffers) they added. */
  readonly rssPerClientKb: number;
  readonly heapPerClientKb: number;
  /** Time the server spent collecting garbage from the viewers' connection to the end of the run. */
  readonly gcMs: number;
  /** Where the time went, second by second of the window: the worst lag (ms), the server's CPU (share of a core). */
  readonly timeline: { readonly worstLagMs: readonly number[]; readonly serverCpu: readonly number[] };
  /** The load generators' CPU over those seconds, in cores: near 1 per process (or the free cores), the clients set the pace. */
  readonly loadGeneratorBusy: number;
  readonly loadProcesses: number;
}

export interface Measured {
  readonly side: Side;
  readonly recording: Recording;
}

// Numbers -------------------------------------------------------------------------------------

/** Same rank rule as stats.percentile, on an already sorted typed array. */
function percentileSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function lagFigures(lags: Float64Array): Side['lagMs'] {
  const sorted = lags.sort();
  return { p50: percentileSorted(sorted, 50), p99: percentileSorted(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN, samples: sorted.length };
}

/** The hour (or whatever `spanMs`) of the night with the most events, starting at one of them. */
function densestWindow(atMs: readonly number[], spanMs: number): number {
  let best = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < atMs.length; i++) {
    while (j < atMs.length && atMs[j]! < atMs[i]! + spanMs) j++;
    if (j - i > bestCount) [best, bestCount] = [atMs[i]!, j - i];
  }
  return best;
}

/** Local time of day at `ms` into a night that starts at `start` (ISO, with its offset). */
function localTime(start: string, ms: number): string {
  const [, h, m] = /T(\d\d):(\d\d)/.exec(start) ?? [, '0', '0'];
  const minutes = (Number(h) * 60 + Number(m) + Math.floor(ms / 60_000)) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

// Talking to servers and to the load generator -------------------------------------------------

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const sleepUntil = (epochMs: number) => new Promise((r) => setTimeout(r, Math.max(0, epochMs - epochNow())));

/** The forked load generator, one request and one reply at a time. */
class LoadGenerator {
  private readonly child: ChildProcess = track(
    fork(fileURLToPath(new URL('./fanout-load.ts', import.meta.url)), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced', // the lags travel as one typed array, not a JSON list
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );

  get pid(): number {
    return this.child.pid!;
  }

  request<K extends LoadReply['kind']>(command: LoadCommand, expect: K, timeoutMs: number): Promise<Extract<LoadReply, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error, reply?: LoadReply) => {
        clearTimeout(timer);
        this.child.off('message', onMessage).off('exit', onExit);
        if (error) reject(error);
        else resolve(reply as Extract<LoadReply, { kind: K }>);
      };
      const onMessage = (reply: LoadReply) => {
        if (reply.kind === 'error') done(new Error(`load generator: ${reply.message}`));
        else if (reply.kind === expect) done(undefined, reply);
      };
      const onExit = (code: number | null) => done(new Error(`load generator exited (code ${code}) during '${command.kind}'`));
      const timer = setTimeout(() => done(new Error(`load generator: no answer to '${command.kind}' within ${timeoutMs} ms`)), timeoutMs);
      this.child.on('message', onMessage).on('exit', onExit);
      this.child.send(command);
    });
  }

  close(): Promise<void> {
    if (this.child.connected) this.child.send({ kind: 'close' } satisfies LoadCommand);
    return stopProcess(this.child, 5000);
  }
}

/** `count` split as evenly as possible into `parts`. */
export const shares = (count: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0)).filter((n) => n > 0);

/**
 * Several load generators driven as one. On a 2-core machine a second one does not add CPU, but
 * it halves the queue of viewers one broadcast waits behind: each process handles its viewers'
 * copies of a message one after the other.
 */
class LoadGroup {
  private readonly parts: LoadGenerator[];
  readonly size: number;

  constructor(private readonly targets: readonly LoadPart[]) {
    this.parts = targets.map(() => new LoadGenerator());
    this.size = targets.length;
  }

  async connect(sessionId: string): Promise<number> {
    const t0 = performance.now();
    await Promise.all(this.parts.map((p, i) => p.request({ kind: 'connect', url: this.targets[i]!.url, sessionId, count: this.targets[i]!.count }, 'ready', Math.max(60_000, this.targets[i]!.count * 30))));
    return performance.now() - t0;
  }

  async window(fromMs: number, speed: number): Promise<void> {
    await Promise.all(this.parts.map((p) => p.request({ kind: 'window', fromMs, speed }, 'measuring', 10_000)));
  }

  /** CPU seconds the load generators have used so far, read from outside: their own event loops may be too busy to say. */
  cpuSeconds(): number {
    return this.parts.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  }

  async collect(finalSeq: number): Promise<LoadResult> {
    const results = await Promise.all(this.parts.map((p) => p.request({ kind: 'collect', finalSeq, timeoutMs: DRAIN_MS }, 'collected', DRAIN_MS + 60_000)));
    return merge(results.map((r) => r.result));
  }

  async close(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.close()));
  }
}

function addCounts(counts: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c)) total[k] = (total[k] ?? 0) + n;
  return total;
}

function merge(results: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => results.reduce((total, r) => total + f(r), 0);
  const lags = new Float64Array(sum((r) => r.lags.length));
  results.reduce((at, r) => (lags.set(r.lags, at), at + r.lags.length), 0);
  return {
    clients: sum((r) => r.clients),
    messages: sum((r) => r.messages),
    items: sum((r) => r.items),
    lost: sum((r) => r.lost),
    misordered: sum((r) => r.misordered),
    unmeasured: sum((r) => r.unmeasured),
    disconnects: sum((r) => r.disconnects),
    disconnectReasons: addCounts(results.map((r) => r.disconnectReasons)),
    lags,
    worstLagBySecond: Array.from({ length: Math.max(...results.map((r) => r.worstLagBySecond.length)) }, (_, i) => Math.max(...results.map((r) => r.worstLagBySecond[i] ?? 0))),
  };
}

/** One load generator's viewers: how many, and the server they connect to. */
export interface LoadPart {
  readonly url: string;
  readonly count: number;
}

/**
 * What a run measures: one server, or several nodes of one Redis. Their CPU and memory are
 * summed; the first one holds the probe (and, for the simulator, the session).
 */
export interface Target {
  readonly servers: readonly ServerProcess[];
  readonly parts: readonly LoadPart[];
}

/** The memory of several processes, added up (the worst event-loop delay: the largest). */
async function settledMemory(servers: readonly ServerProcess[]): Promise<Memory> {
  const all = await Promise.all(servers.map((s) => s.settledMemory()));
  const sum = (f: (m: Memory) => number | undefined) => (all.some((m) => f(m) === undefined) ? undefined : all.reduce((total, m) => total + f(m)!, 0));
  const heapKb = sum((m) => m.heapKb);
  const gcMs = sum((m) => m.gcMs);
  const loops = all.map((m) => m.loopMaxMs).filter((ms): ms is number => ms !== undefined);
  return { rssKb: sum((m) => m.rssKb)!, peakKb: sum((m) => m.peakKb)!, ...(heapKb === undefined ? {} : { heapKb }), ...(gcMs === undefined ? {} : { gcMs }), ...(loops.length ? { loopMaxMs: Math.max(...loops) } : {}) };
}

/** CPU seconds so far of every server still running (one that has exited counts from `last`). */
const running = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;
const serversCpu = (servers: readonly ServerProcess[]) => servers.reduce((sum, s) => sum + (running(s) ? cpuSeconds(s.pid) : 0), 0);
const serversWriteCalls = (servers: readonly ServerProcess[]) => servers.reduce((sum, s) => sum + (running(s) ? writeCalls(s.pid) : 0), 0);

// One measured run ------------------------------------------------------------------------------

interface Probe {
  readonly viewer: Viewer;
  readonly tally: Tally;
  /** Every message after the join, with its receipt time. */
  readonly received: Array<{ at: number; name: string; payload: unknown }>;
  /** The join snapshot. */
  readonly snapshot: Promise<unknown>;
}

/** The probe: one viewer in this process that records every message with its receipt time. */
function startProbe(url: string, sessionId: string): Probe {
  const tally = new Tally();
  const received: Array<{ at: number; name: string; payload: unknown }> = [];
  const viewer = connectViewer(url, sessionId, tally, (name, payload, at) => received.push({ at, name, payload }));
  const snapshot = new Promise((resolve) => viewer.socket.once('snapshot', resolve));
  return { viewer, tally, received, snapshot };
}

/** The seq of the last item of a message. */
function lastSeqOf(name: string, payload: unknown): number {
  if (name === 'events') return (payload as Array<{ seq: number }>).at(-1)!.seq;
  return (payload as { seq: number }).seq;
}

/**
 * How a run is played: it starts the replay, says when the measured window begins in wall time
 * (epoch ms; in scenario time it is the plan's fromMs), and resolves with the seq of the last item.
 * The CPU counts start then.
 */
type Drive = (probe: Probe, measureFrom: (fromEpochMs: number) => void) => Promise<number>;

/**
 * Connects the probe and the viewers, has `drive` play the replay, waits for every viewer to
 * have the last item, and measures the window. Everything it starts, it closes, whatever happens.
 */
async function measure({ servers, parts }: Target, sessionId: string, plan: Plan, drive: Drive): Promise<Measured> {
  const probe = startProbe(servers[0]!.url, sessionId);
  const load = new LoadGroup(parts);
  let sampler: NodeJS.Timeout | undefined;
  let finished = false;
  try {
    await probe.viewer.ready;
    const before = await settledMemory(servers);
    const connectMs = await load.connect(sessionId);
    const afterConnect = await settledMemory(servers);
    // Which items count is set before play, in scenario time: nothing depends on when a busy
    // load generator gets round to reading a message.
    probe.tally.measureFromMs = plan.fromMs;
    probe.tally.speed = plan.speed;
    await load.window(plan.fromMs, plan.speed);
    let window: Promise<{ at: number; cpu: number; writes: number; loadCpu: number }> | undefined;
    const serverCpu: number[] = [];
    const measureFrom = (fromEpochMs: number) => {
      window = sleepUntil(fromEpochMs).then(() => ({ at: epochNow(), cpu: serversCpu(servers), writes: serversWriteCalls(servers), loadCpu: load.cpuSeconds() }));
      void window.then(({ cpu }) => {
        if (finished) return;
        let last = cpu;
        sampler = setInterval(() => {
          const now = Math.max(last, serversCpu(servers));
          serverCpu.push(now - last);
          last = now;
        }, 1000);
      });
    };
    const finalSeq = await drive(probe, measureFrom);
    if (!window) throw new Error('the run never said where its measured window begins');
    const [result] = await Promise.all([load.collect(finalSeq), waitForSeq([probe.viewer], finalSeq, DRAIN_MS)]);
    clearInterval(sampler);
    const from = await window;
    const cpu = serversCpu(servers) - from.cpu;
    const writes = serversWriteCalls(servers) - from.writes;
    const loadCpu = load.cpuSeconds() - from.loadCpu;
    const wallSeconds = (epochNow() - from.at) / 1000;
    const after = await settledMemory(servers);
    const side = summarize(result, probe, finalSeq, { loadProcesses: load.size, connectMs, cpu, writes, loadCpu, wallSeconds, before, afterConnect, after, serverCpu });
    return { side, recording: { origin: originOf(probe.received), snapshot: await probe.snapshot, messages: schedule(probe.received) } };
  } finally {
    finished = true;
    clearInterval(sampler);
    probe.viewer.socket.disconnect();
    await load.close();
  }
}

function summarize(
  result: LoadResult,
  probe: Probe,
  finalSeq: number,
  m: { loadProcesses: number; connectMs: number; cpu: number; writes: number; loadCpu: number; wallSeconds: number; before: Memory; afterConnect: Memory; after: Memory; serverCpu: number[] },
): Side {
  // The probe is a viewer too: what it lost counts, and its messages were delivered like the rest.
  const deliveredMessages = result.messages + probe.tally.messages;
  return {
    connectMs: m.connectMs,
    messagesPerClient: result.messages / result.clients,
    itemsPerClient: result.items / result.clients,
    deliveredMessages,
    lost: result.lost + probe.tally.lost + Math.max(0, finalSeq - probe.viewer.lastSeq),
    misordered: result.misordered + probe.tally.misordered + probe.viewer.misordered(),
    disconnects: result.disconnects + probe.tally.disconnects,
    disconnectReasons: addCounts([result.disconnectReasons, probe.tally.disconnectReasons]),
    lagMs: lagFigures(result.lags),
    wallSeconds: m.wallSeconds,
    cpuSeconds: m.cpu,
    cpuUsPerMessage: (m.cpu * 1e6) / deliveredMessages,
    writeCallsPerMessage: m.writes / deliveredMessages,
    memoryKb: { before: m.before, afterConnect: m.afterConnect, afterRun: m.after },
    rssPerClientKb: (m.afterConnect.rssKb - m.before.rssKb) / result.clients,
    heapPerClientKb: ((m.afterConnect.heapKb ?? Number.NaN) - (m.before.heapKb ?? Number.NaN)) / result.clients,
    gcMs: (m.after.gcMs ?? Number.NaN) - (m.afterConnect.gcMs ?? Number.NaN),
    timeline: { worstLagMs: result.worstLagBySecond.map((ms) => Math.round(ms)), serverCpu: m.serverCpu.map((c) => Math.round(c * 100) / 100) },
    loadGeneratorBusy: m.loadCpu / m.wallSeconds,
    loadProcesses: m.loadProcesses,
  };
}

/** Time zero of a recording: the wall time stamped on the clock that answered `play`. */
function originOf(received: ReadonlyArray<{ name: string; payload: unknown }>): number {
  const first = received.find((m) => m.name === 'clock');
  if (!first) throw new Error('the probe received no clock: the replay did not start');
  return (first.payload as { serverTimeMs: number }).serverTimeMs;
}

/**
 * When the simulator meant to send each message, ms after time zero, for the baseline to send it
 * then. A clock carries that time. A batch of events is due when its last event is, and, as the
 * engine does (server/engine/replay.ts), no sooner than one frame after the batch before it. The
 * simulator's timers fire a little after that; the bare server's own timers fire a little after
 * too. So each server pays its own lateness, once. (Replaying the times the probe received the
 * messages would charge the baseline for the simulator's lateness and the probe's delivery too:
 * on two busy cores the probe wakes up milliseconds late.)
 */
function schedule(received: ReadonlyArray<{ at: number; name: string; payload: unknown }>): RecordedMessage[] {
  const origin = originOf(received);
  let clock: Clock | undefined;
  let lastBatchAt = Number.NEGATIVE_INFINITY;
  return received.map(({ at, name, payload }) => {
    let sendAt = at; // a snapshot after a jump, or events while paused: when the probe got them
    if (name === 'clock') {
      clock = payload as Clock;
      sendAt = clock.serverTimeMs;
    } else if (name === 'events' && clock?.playing) {
      const last = (payload as Array<{ atMs: number }>).at(-1)!;
      lastBatchAt = Math.max(clock.serverTimeMs + (last.atMs - clock.positionMs) / clock.speed, lastBatchAt + DEFAULT_FRAME_MS);
      sendAt = lastBatchAt;
    }
    return { offsetMs: sendAt - origin, name, payload };
  });
}

/** The simulator on one process: see measureSession. */
async function measureSimulator(viewers: readonly number[], plan: Plan): Promise<Measured> {
  const server = await startServerProcess(SIM_ARGS, { cwd: ROOT });
  try {
    return await measureSession({ servers: [server], parts: viewers.map((count) => ({ url: server.url, count })) }, plan);
  } finally {
    await server.stop();
  }
}

/**
 * The simulator: a paused session at the plan's start, created on the target's first server,
 * played, then paused (or run to the end).
 */
export async function measureSession(target: Target, plan: Plan): Promise<Measured> {
  const url = target.servers[0]!.url;
  const session = await post<{ id: string; instructorToken: string }>(`${url}/api/sessions`, {
    scenarioId: SCENARIO_ID,
    speed: plan.speed,
    positionMs: plan.startMs,
    autoplay: false,
  });
  const control = (action: string) => post<{ seq: number; serverTimeMs: number }>(`${url}/api/sessions/${session.id}/control`, { action }, session.instructorToken);
  return measure(target, session.id, plan, async (probe, measureFrom) => {
    const played = await control('play');
    const from = played.serverTimeMs + plan.warmupMs;
    measureFrom(from);
    if (!plan.toEnd) {
      await sleepUntil(from + plan.wallMs);
      return (await control('pause')).seq;
    }
    const ended = () => probe.received.find((m) => m.name === 'clock' && !(m.payload as { playing: boolean }).playing);
    const deadline = from + plan.wallMs + DRAIN_MS;
    while (!ended() && epochNow() < deadline) await new Promise((r) => setTimeout(r, 20));
    const end = ended();
    if (!end) throw new Error(`the replay did not reach its end within ${plan.warmupMs + plan.wallMs + DRAIN_MS} ms`);
    return lastSeqOf(end.name, end.payload);
  });
}

/** The bare server replaying `recording`: the same messages, the same times from its start. */
export async function measureBaseline(viewers: readonly number[], plan: Plan, recording: Recording): Promise<Measured> {
  const file = join(tmpdir(), `fanout-recording-${process.pid}-${Date.now()}.json`);
  const removeFile = () => rmSync(file, { force: true });
  process.once('exit', removeFile); // also after Ctrl-C, which exits from processes.ts
  writeFileSync(file, JSON.stringify(recording));
  const last = recording.messages.at(-1)!;
  try {
    const server = await startServerProcess(bareArgs(file), { cwd: ROOT });
    try {
      return await measure({ servers: [server], parts: viewers.map((count) => ({ url: server.url, count })) }, 'bare', plan, async (_probe, measureFrom) => {
        const { startMs } = await post<{ startMs: number }>(`${server.url}/play`, {});
        measureFrom(startMs + plan.warmupMs); // startMs stands where the simulator's play clock did
        await sleepUntil(startMs + last.offsetMs);
        return lastSeqOf(last.name, last.payload);
      });
    } finally {
      await server.stop();
    }
  } finally {
    process.off('exit', removeFile);
    removeFile();
  }
}

// Reporting ---------------------------------------------------------------------------------------

const kb = (n: number) => `${n.toFixed(1)} KB`;
export const us = (n: number) => `${n.toFixed(1)} µs`;
export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
/** simulator / baseline, or n/a when the baseline is nothing to divide by. */
export const ratio = (sim: number, base: number) => (base > 0 && Number.isFinite(sim / base) ? fmt.ratio(sim / base) : 'n/a');

function rows(clients: number, plan: Plan, sim: Side, base: Side): Row[] {
  const p99Ratio = sim.lagMs.p99 / base.lagMs.p99;
  const cpuRatio = sim.cpuUsPerMessage / base.cpuUsPerMessage;
  const absolute = clients <= GOALS.forClientsUpTo ? GOALS.p99AtMostMs[plan.speed] : undefined;
  const lossFree = sim.lost === 0 && sim.misordered === 0;
  const both = (f: (s: Side) => string) => ({ value: f(sim), baseline: f(base) });
  return [
    { figure: 'viewers connected (ramp-up)', ...both((s) => `${clients} in ${(s.connectMs / 1000).toFixed(1)} s`), ratio: '', goal: '' },
    { figure: 'messages / items per viewer', ...both((s) => `${s.messagesPerClient.toFixed(1)} / ${s.itemsPerClient.toFixed(1)}`), ratio: '', goal: '' },
    { figure: 'items lost / misordered', ...both((s) => `${s.lost} / ${s.misordered}${s.disconnects ? ` (${s.disconnects} dropped: ${Object.keys(s.disconnectReasons).join(', ')})` : ''}`), ratio: '', goal: `0 (${verdict(lossFree)})` },
    { figure: 'lag p50', ...both((s) => fmt.ms(s.lagMs.p50)), ratio: ratio(sim.lagMs.p50, base.lagMs.p50), goal: '' },
    {
      figure: 'lag p99',
      ...both((s) => fmt.ms(s.lagMs.p99)),
      ratio: ratio(sim.lagMs.p99, base.lagMs.p99),
      goal: `<= ${GOALS.ratioAtMost}x (${verdict(p99Ratio <= GOALS.ratioAtMost)})${absolute ? `; <= ${absolute} ms (${verdict(sim.lagMs.p99 <= absolute)})` : ''}`,
    },
    { figure: 'lag max', ...both((s) => fmt.ms(s.lagMs.max)), ratio: ratio(sim.lagMs.max, base.lagMs.max), goal: '' },
    { figure: 'server CPU', ...both((s) => `${s.cpuSeconds.toFixed(2)} s (${((100 * s.cpuSeconds) / s.wallSeconds).toFixed(0)}% of a core)`), ratio: ratio(sim.cpuSeconds, base.cpuSeconds), goal: '' },
    { figure: 'server GC during the run', ...both((s) => `${(s.gcMs / 1000).toFixed(2)} s`), ratio: ratio(sim.gcMs, base.gcMs), goal: '' },
    { figure: 'server CPU per delivered message', ...both((s) => us(s.cpuUsPerMessage)), ratio: ratio(sim.cpuUsPerMessage, base.cpuUsPerMessage), goal: `<= ${GOALS.ratioAtMost}x (${verdict(cpuRatio <= GOALS.ratioAtMost)})` },
    { figure: 'server write calls per delivered message', ...both((s) => s.writeCallsPerMessage.toFixed(2)), ratio: ratio(sim.writeCallsPerMessage, base.writeCallsPerMessage), goal: '' },
    { figure: 'server RSS per viewer, after GC', ...both((s) => kb(s.rssPerClientKb)), ratio: ratio(sim.rssPerClientKb, base.rssPerClientKb), goal: '' },
    { figure: 'server JS heap per viewer, after GC', ...both((s) => kb(s.heapPerClientKb)), ratio: ratio(sim.heapPerClientKb, base.heapPerClientKb), goal: '' },
    {
      figure: `load generator CPU (${sim.loadProcesses} process${sim.loadProcesses > 1 ? 'es' : ''})`,
      ...both((s) => `${(100 * s.loadGeneratorBusy).toFixed(0)}% of a core`),
      ratio: '',
      // One process cannot use more than a core, and its load comes in bursts: well before that, lags are the clients' queue.
      goal: Math.max(sim.loadGeneratorBusy, base.loadGeneratorBusy) >= 0.75 * sim.loadProcesses ? 'near saturation: lags are largely the clients\' queue' : '',
    },
  ];
}

function title(clients: number, plan: Plan, night: NightFacts): string {
  const span = `${localTime(night.start, plan.fromMs)}-${localTime(night.start, plan.toMs)} local${plan.speed === 60 ? ' (densest stretch)' : ' (rest of the night)'}`;
  return `fan-out: ${clients} viewers, one session, ${plan.speed}x, ${span}: ${plan.events} events in ${(plan.wallMs / 1000).toFixed(0)} s, after ${(plan.warmupMs / 1000).toFixed(0)} s of warm-up`;
}

// The suite ---------------------------------------------------------------------------------------

export interface NightFacts {
  readonly start: string;
  readonly durationMs: number;
  readonly atMs: number[];
}

export async function fetchScenario(): Promise<NightFacts> {
  const server = await startServerProcess(SIM_ARGS, { cwd: ROOT });
  try {
    const response = await fetch(`${server.url}/api/scenarios/${SCENARIO_ID}`);
    if (!response.ok) throw new Error(`GET /api/scenarios/${SCENARIO_ID}: ${response.status}`);
    const scenario = (await response.json()) as { start: string; durationMs: number; events: Array<{ atMs: number }> };
    return { start: scenario.start, durationMs: scenario.durationMs, atMs: scenario.events.map((e) => e.atMs) };
  } finally {
    await server.stop();
  }
}

/** Wall time each run plays before its measured window: not a multiple of the 5 s clock heartbeat, so none falls on the edge. */
const WARMUP_MS = 4000;

export function plans(scenario: NightFacts, windowS: number): Plan[] {
  const events = (from: number, to: number) => scenario.atMs.filter((at) => at >= from && at <= to).length;
  const plan = (speed: number, fromMs: number, toMs: number): Plan => {
    const startMs = Math.max(0, fromMs - WARMUP_MS * speed);
    return { speed, startMs, warmupMs: (fromMs - startMs) / speed, fromMs, toMs, wallMs: (toMs - fromMs) / speed, toEnd: toMs >= scenario.durationMs, events: events(fromMs, toMs) };
  };
  // 60x: the densest stretch of the night; 3600x: the whole night, measured after the warm-up.
  const fromMs = densestWindow(scenario.atMs, windowS * 1000 * 60);
  return [plan(60, fromMs, Math.min(fromMs + windowS * 1000 * 60, scenario.durationMs)), plan(3600, WARMUP_MS * 3600, scenario.durationMs)];
}

/**
 * Why `clients` cannot run here, if it cannot: each socket is a file descriptor in both the
 * server and the load generator, and takes a local port (all go to one address and port).
 */
export function fdProblem(clients: number, limit: number | undefined): string | undefined {
  const ports = ephemeralPorts();
  if (ports !== undefined && clients + FD_MARGIN > ports) return `${clients} viewers need ${clients} local ports and this machine allows ${ports} (net.ipv4.ip_local_port_range)`;
  if (limit === undefined || clients + FD_MARGIN <= limit) return undefined;
  return `the open-file limit (ulimit -n) is ${limit}, and ${clients} viewers need at least ${clients + FD_MARGIN} in the server and in the load generator; raise it (e.g. \`ulimit -n ${Math.max(65536, clients * 2)}\`) and run again`;
}

export async function runFanoutBench(options: FanoutBenchOptions): Promise<void> {
  const t0 = performance.now();
  const loadBefore = loadavg()[0]!;
  const limit = openFileLimit();
  process.stdout.write(`fan-out benchmark: ${options.clients.join(', ')} viewers; open-file limit ${limit ?? 'unknown'}; CPU from /proc at ${CLOCK_TICKS} ticks/s\n`);
  const scenario = await fetchScenario();
  const runs: unknown[] = [];
  const skipped: Array<{ clients: number; reason: string }> = [];
  for (const clients of options.clients) {
    const problem = fdProblem(clients, limit);
    if (problem) {
      process.stdout.write(`\nSKIPPED ${clients} viewers: ${problem}\n`);
      skipped.push({ clients, reason: problem });
      continue;
    }
    for (const plan of plans(scenario, options.window)) {
      process.stdout.write(`\n${clients} viewers at ${plan.speed}x: simulator…`);
      const viewers = shares(clients, options.loadProcesses);
      const sim = await measureSimulator(viewers, plan);
      process.stdout.write(' baseline…');
      const base = await measureBaseline(viewers, plan, sim.recording);
      process.stdout.write(' done\n');
      printTable(title(clients, plan, scenario), rows(clients, plan, sim.side, base.side));
      runs.push(result(clients, plan, sim.side, base.side));
    }
  }
  process.stdout.write(
    '\nlag: receipt minus due time (the latest clock\'s serverTimeMs + (atMs - positionMs) / speed), every event at every viewer;' +
      '\n     the baseline sends the simulator\'s batches on its schedule, so both include its frame batching (up to 16 ms).' +
      `\nload average (1 min) before/after: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} on ${machine().cores} cores: other work on the machine shows in every figure.\n`,
  );
  const totalSeconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\ntotal ${totalSeconds.toFixed(0)} s\n`);
  writeResults(options.out, {
    suite: 'fanout',
    date: new Date().toISOString(),
    machine: machine(),
    scenarioId: SCENARIO_ID,
    openFileLimit: limit ?? null,
    clockTicksPerSecond: CLOCK_TICKS,
    options: { clients: options.clients, windowSeconds: options.window, loadProcesses: options.loadProcesses },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    goals: { ratioAtMost: GOALS.ratioAtMost, p99AtMostMs: GOALS.p99AtMostMs, absoluteGoalsForClientsUpTo: GOALS.forClientsUpTo, lost: 0 },
    runs,
    skipped,
    totalSeconds,
  });
}

/** One run's JSON. */
function result(clients: number, plan: Plan, sim: Side, base: Side) {
  return {
    clients,
    plan,
    simulator: sim,
    baseline: base,
    ratios: { lagP99: sim.lagMs.p99 / base.lagMs.p99, cpuPerMessage: sim.cpuUsPerMessage / base.cpuUsPerMessage },
  };
}
