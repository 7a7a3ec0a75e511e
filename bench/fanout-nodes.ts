/**
 * Fan-out over several nodes (`npm run bench -- fanout --nodes 1,2,4`): for each count, that many
 * `serve --redis-url` processes on their own ports, sharing a Redis this benchmark starts (and a
 * temporary data folder), with the same number of viewers on every node. The session is created
 * on node 1, which owns it and holds the probe; each load-generator part connects to one node,
 * so every broadcast crosses Redis to reach the other nodes' viewers. The seed night is replayed
 * at 3600x, measured as in bench/fanout.ts after its warm-up.
 *
 * What it answers: does adding nodes add deliveries per second at the same lag, and what does a
 * delivered message cost, CPU summed over every node (Redis's own CPU aside), beside a bare
 * socket.io server broadcasting the one-node run's messages to one node's viewers in the same run.
 *
 * The scaling goal (4 nodes deliver at least 3.2x one node's messages per second, the p99 within
 * 1.1x) only means something where each node has cores of its own, and the load generators too:
 * a 16-core machine. On the 2-core development machine it proves the mode runs, nothing more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fdProblem, fetchScenario, plans } from './fanout.ts';
import { shares, type LoadPart } from './fanout-load-group.ts';
import { measureBaseline, measureSession, SCENARIO_ID, SIM_ARGS, type Measured, type Plan, type Side } from './fanout-measure.ts';
import { ratio, us, verdict } from './fanout-report.ts';
import { CLOCK_TICKS, openFileLimit, ROOT, startServerProcess, track, type ServerProcess } from './processes.ts';
import { startRedis, type TestRedis } from './redis-server.ts';
import { fmt, machine, printGrid, writeResults } from './stats.ts';

export interface FanoutNodesOptions {
  /** Node counts, one run each (e.g. 1, 2, 4). */
  readonly nodes: readonly number[];
  /** Viewers per node: every run has the same load on each node. */
  readonly clients: number;
  /** Load-generator processes per node. */
  readonly loadProcesses: number;
  readonly out: string;
}

const GOALS = {
  /** N nodes deliver at least this share of N times one node's messages per second (3.2x at 4)… */
  scalingPerNode: 0.8,
  /** …with a p99 lag at most this much above one node's; */
  p99RatioAtMost: 1.1,
  /** and CPU per delivered message, all nodes together, at most this much above the bare server's. */
  cpuRatioAtMost: 1.1,
};

/** One node count's run. */
interface NodesRun {
  readonly nodes: number;
  readonly viewers: number;
  readonly deliveriesPerSecond: number;
  readonly side: Side;
}

const deliveriesPerSecond = (side: Side) => side.deliveredMessages / side.wallSeconds;

/** A Redis that dies with the benchmark, however it ends; its folder goes with it. */
async function benchRedis(): Promise<TestRedis> {
  const redis = await startRedis();
  track(redis.child);
  const removeDir = () => rmSync(redis.dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  return {
    ...redis,
    stop: async () => {
      process.off('exit', removeDir);
      await redis.stop();
    },
  };
}

/** `count` nodes of one Redis, started one after another (they share one data folder and its migrations). */
async function startNodes(count: number, redisUrl: string, dataDir: string): Promise<ServerProcess[]> {
  const nodes: ServerProcess[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await startServerProcess([...SIM_ARGS, '--redis-url', redisUrl, '--data-dir', dataDir], { cwd: ROOT }));
    return nodes;
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
}

/** One run: `count` nodes, `clients` viewers on each, everything it started stopped afterwards. */
async function measureNodes(count: number, options: FanoutNodesOptions, plan: Plan): Promise<Measured> {
  const redis = await benchRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'air-raid-sim-bench-nodes-'));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeData);
  try {
    const nodes = await startNodes(count, redis.url, dataDir);
    try {
      const parts: LoadPart[] = nodes.flatMap((node) => shares(options.clients, options.loadProcesses).map((n) => ({ url: node.url, count: n })));
      return await measureSession({ servers: nodes, parts }, plan);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  } finally {
    await redis.stop();
    process.off('exit', removeData);
    removeData();
  }
}

// Reporting ---------------------------------------------------------------------------------------

const HEADERS = ['run', 'viewers', 'deliveries / s', 'vs 1 node', 'lag p50 / p99', 'lost / misordered', 'server CPU (all nodes)', 'CPU per delivered message', 'vs bare server'];

function row(label: string, viewers: number, side: Side, one: Side | undefined, bare: Side): string[] {
  return [
    label,
    String(viewers),
    deliveriesPerSecond(side).toFixed(0),
    one ? ratio(deliveriesPerSecond(side), deliveriesPerSecond(one)) : '',
    `${fmt.ms(side.lagMs.p50)} / ${fmt.ms(side.lagMs.p99)}`,
    `${side.lost} / ${side.misordered}${side.disconnects ? ` (${side.disconnects} dropped)` : ''}`,
    `${side.cpuSeconds.toFixed(2)} s over ${side.wallSeconds.toFixed(1)} s`,
    us(side.cpuUsPerMessage),
    side === bare ? '' : ratio(side.cpuUsPerMessage, bare.cpuUsPerMessage),
  ];
}

/** The goals, each met or MISSED, against the one-node run and the bare server. */
function goals(runs: readonly NodesRun[], bare: Side) {
  const one = runs.find((r) => r.nodes === 1);
  const most = runs.reduce((a, b) => (b.nodes > a.nodes ? b : a));
  const scaling =
    one && most.nodes > 1
      ? {
          nodes: most.nodes,
          deliveriesRatio: most.deliveriesPerSecond / one.deliveriesPerSecond,
          deliveriesRatioAtLeast: GOALS.scalingPerNode * most.nodes,
          p99Ratio: most.side.lagMs.p99 / one.side.lagMs.p99,
          p99RatioAtMost: GOALS.p99RatioAtMost,
        }
      : undefined;
  const scalingMet = scaling ? scaling.deliveriesRatio >= scaling.deliveriesRatioAtLeast && scaling.p99Ratio <= scaling.p99RatioAtMost : undefined;
  const cpu = runs.map((r) => ({ nodes: r.nodes, ratio: r.side.cpuUsPerMessage / bare.cpuUsPerMessage, met: r.side.cpuUsPerMessage / bare.cpuUsPerMessage <= GOALS.cpuRatioAtMost }));
  return { scaling, scalingMet, cpu };
}

function printGoals(g: ReturnType<typeof goals>): void {
  const s = g.scaling;
  process.stdout.write(
    s
      ? `\ngoal: ${s.nodes} nodes deliver >= ${s.deliveriesRatioAtLeast.toFixed(1)}x one node's messages per second (${fmt.ratio(s.deliveriesRatio)}) with the p99 within ${s.p99RatioAtMost}x of one node's (${fmt.ratio(s.p99Ratio)}): ${verdict(g.scalingMet!)}\n`
      : '\ngoal on scaling: not judged (it needs a run of 1 node and one of more)\n',
  );
  for (const c of g.cpu) process.stdout.write(`goal: CPU per delivered message, ${c.nodes} node${c.nodes > 1 ? 's' : ''}, within ${GOALS.cpuRatioAtMost}x of the bare server's (${fmt.ratio(c.ratio)}): ${verdict(c.met)}\n`);
}

// The suite ---------------------------------------------------------------------------------------

export async function runFanoutNodesBench(options: FanoutNodesOptions): Promise<void> {
  const t0 = performance.now();
  const loadBefore = loadavg()[0]!;
  const counts = [...new Set(options.nodes)].sort((a, b) => a - b);
  const problem = fdProblem(options.clients * counts.at(-1)!, openFileLimit());
  if (problem) throw new Error(`cannot run ${options.clients} viewers on each of ${counts.at(-1)} nodes: ${problem}`);
  process.stdout.write(`fan-out over nodes: ${counts.join(', ')} node(s), ${options.clients} viewers on each; CPU from /proc at ${CLOCK_TICKS} ticks/s\n`);
  const plan = plans(await fetchScenario(), 60).find((p) => p.speed === 3600)!;
  const runs: NodesRun[] = [];
  let recording: Measured['recording'] | undefined;
  for (const nodes of counts) {
    process.stdout.write(`${nodes} node${nodes > 1 ? 's' : ''}… `);
    const measured = await measureNodes(nodes, options, plan);
    recording ??= measured.recording;
    runs.push({ nodes, viewers: nodes * options.clients, deliveriesPerSecond: deliveriesPerSecond(measured.side), side: measured.side });
  }
  process.stdout.write('bare server… ');
  const bare = (await measureBaseline(shares(options.clients, options.loadProcesses), plan, recording!)).side;
  process.stdout.write('done\n');
  const one = runs.find((r) => r.nodes === 1)?.side;
  printGrid(
    `fan-out over nodes: one session, 3600x, the whole night after ${(plan.warmupMs / 1000).toFixed(0)} s of warm-up (${plan.events} events in ${(plan.wallMs / 1000).toFixed(0)} s); ${options.clients} viewers per node`,
    HEADERS,
    [...runs.map((r) => row(`${r.nodes} node${r.nodes > 1 ? 's' : ''}`, r.viewers, r.side, one, bare)), row('bare socket.io, 1 process', options.clients, bare, undefined, bare)],
  );
  const judged = goals(runs, bare);
  printGoals(judged);
  const cores = machine().cores;
  if (cores < 4 * counts.at(-1)!) process.stdout.write(`\nthis machine has ${cores} cores for ${counts.at(-1)} nodes, their load generators and Redis: the scaling figures say little here (a 16-core machine is needed).\n`);
  process.stdout.write(`load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} on ${cores} cores\n`);
  const totalSeconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\ntotal ${totalSeconds.toFixed(0)} s\n`);
  writeResults(options.out, {
    suite: 'fanout-nodes',
    date: new Date().toISOString(),
    machine: machine(),
    scenarioId: SCENARIO_ID,
    clockTicksPerSecond: CLOCK_TICKS,
    options: { nodes: counts, clientsPerNode: options.clients, loadProcessesPerNode: options.loadProcesses },
    plan,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    goals: { ...GOALS, ...judged },
    runs,
    baseline: bare,
    totalSeconds,
  });
}
