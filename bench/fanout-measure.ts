/**
 * One measured run of the fan-out benchmark: a server (or several nodes), a probe viewer in this
 * process that records what was sent, and the load generators' viewers; the replay played, the
 * window measured from outside (/proc), everything closed whatever happens. The simulator's
 * session (measureSession) and the bare socket.io server replaying its recording
 * (measureBaseline) are measured by the same code.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recording } from './bare-server.ts';
import { epochNow, waitForSeq } from './fanout-client.ts';
import { lastSeqOf, originOf, schedule, startProbe, type Probe } from './fanout-probe.ts';
import type { LoadResult } from './fanout-load.ts';
import { addCounts, DRAIN_MS, LoadGroup, type LoadPart } from './fanout-load-group.ts';
import { cpuSeconds, ROOT, startServerProcess, writeCalls, type Memory, type ServerProcess } from './processes.ts';


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

/** The simulator on one process: see measureSession. */
export async function measureSimulator(viewers: readonly number[], plan: Plan): Promise<Measured> {
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
