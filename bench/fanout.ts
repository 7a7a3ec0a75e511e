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
import { loadavg } from 'node:os';
import type { Recording } from './bare-server.ts';
import { measureBaseline, measureSimulator, SCENARIO_ID, SIM_ARGS, type Plan, type Side } from './fanout-measure.ts';
import { rows, result, title, GOALS } from './fanout-report.ts';
import { CLOCK_TICKS, ephemeralPorts, openFileLimit, ROOT, startServerProcess } from './processes.ts';
import { machine, printTable, writeResults } from './stats.ts';
import { shares } from './fanout-load-group.ts';

export interface FanoutBenchOptions {
  readonly clients: readonly number[];
  /** Wall seconds of the 60x run. */
  readonly window: number;
  /** Load generator processes the viewers are spread over. */
  readonly loadProcesses: number;
  /** Simulator/baseline pairs measured per run; the goals are judged on their median ratio. */
  readonly pairs: number;
  readonly out: string;
}

/** File descriptors a process uses besides its sockets (stdio, the loader, epoll, IPC …). */
const FD_MARGIN = 128;

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

/** The simulator and the bare server, measured back to back on the same plan and viewers. */
export interface Pair {
  readonly simulator: Side;
  readonly baseline: Side;
}

/**
 * `count` pairs, the order alternating (simulator first, then baseline first, …) so that a
 * machine growing busier or quieter during the run weighs on both sides alike. Every baseline
 * replays the first simulator run's recording: the same messages at the same times.
 */
async function measurePairs(viewers: readonly number[], plan: Plan, count: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  let recording: Recording | undefined;
  const simulator = async () => {
    process.stdout.write(' simulator…');
    const measured = await measureSimulator(viewers, plan);
    recording ??= measured.recording;
    return measured.side;
  };
  const baseline = async () => {
    process.stdout.write(' baseline…');
    return (await measureBaseline(viewers, plan, recording!)).side;
  };
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const sim = await simulator();
      pairs.push({ simulator: sim, baseline: await baseline() });
    } else {
      const base = await baseline();
      pairs.push({ simulator: await simulator(), baseline: base });
    }
  }
  return pairs;
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
      process.stdout.write(`\n${clients} viewers at ${plan.speed}x:`);
      const pairs = await measurePairs(shares(clients, options.loadProcesses), plan, options.pairs);
      process.stdout.write(' done\n');
      printTable(title(clients, plan, scenario, pairs.length), rows(clients, plan, pairs));
      runs.push(result(clients, plan, pairs));
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
    options: { clients: options.clients, windowSeconds: options.window, loadProcesses: options.loadProcesses, pairs: options.pairs },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    goals: { ratioAtMost: GOALS.ratioAtMost, judgedOn: 'median of the pairs\' ratios', p99AtMostMs: GOALS.p99AtMostMs, absoluteGoalsForClientsUpTo: GOALS.forClientsUpTo, lost: 0 },
    runs,
    skipped,
    totalSeconds,
  });
}
