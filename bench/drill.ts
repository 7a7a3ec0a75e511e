/**
 * `npm run bench -- drill`: one drill with N trainees (default 1,000, socket.io clients in a load
 * process of their own) answering "I am in the shelter" within a few seconds of one alert over
 * their region. Measured: acknowledgement latency (p50, p99) as the trainee lives it, and
 * answers lost (not acknowledged, or acknowledged but missing from the report after a restart
 * of nothing: read back from the server's report). Beside it, in the same run, the same clients
 * sending the same message to a bare socket.io server that acknowledges at once
 * (bench/bare-echo.ts). The simulator's answer is checked, recorded and committed to SQLite
 * (WAL) before it is acknowledged; the difference is what that costs.
 *
 * Goal: p99 at most 100 ms and within 1.5x of the echo's; 0 lost.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { DrillLoadCommand, DrillLoadReply } from './drill-load.ts';
import { ROOT, startServerProcess, track } from './processes.ts';
import { fmt, machine, percentile, printTable, writeResults, type Row } from './stats.ts';

export interface DrillBenchOptions {
  readonly clients: number;
  /** Trainees answer at a random moment within this many ms of the alert. */
  readonly spreadMs: number;
  readonly out: string;
}

const GOAL = { p99AtMostMs: 100, ratioAtMost: 1.5 };

interface Run {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly answered: number;
  readonly lost: number;
  readonly refused: readonly string[];
}

function loadProcess(): { child: ChildProcess; ask: (command: DrillLoadCommand, until: DrillLoadReply['kind']) => Promise<DrillLoadReply> } {
  const child = track(fork(fileURLToPath(new URL('./drill-load.ts', import.meta.url)), [], { cwd: ROOT, execArgv: ['--import', 'tsx'] }));
  const ask = (command: DrillLoadCommand, until: DrillLoadReply['kind']) =>
    new Promise<DrillLoadReply>((resolve, reject) => {
      const onMessage = (reply: DrillLoadReply) => {
        if (reply.kind !== until) return;
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`load process exited (${code})`)));
      child.send(command);
    });
  return { child, ask };
}

const summary = (reply: Extract<DrillLoadReply, { kind: 'result' }>): Run => ({
  p50Ms: percentile(reply.latencies, 50),
  p99Ms: percentile(reply.latencies, 99),
  maxMs: Math.max(...reply.latencies),
  answered: reply.answered,
  lost: reply.lost,
  refused: reply.refused,
});

async function simulatorRun(options: DrillBenchOptions, dataDir: string): Promise<Run & { inReport: number }> {
  const args = ['server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--data-dir', dataDir];
  const server = await startServerProcess([...args, '--connections-per-address', '1000000', '--connections-per-second', '1000000', '--trainees-per-second', '100000'], { cwd: ROOT });
  try {
    const created = (await (
      await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenarioId: 'demo', kind: 'drill', autoplay: false }) })
    ).json()) as { id: string; joinCode: string; instructorToken: string };
    const load = loadProcess();
    await load.ask({ kind: 'join', mode: 'drill', url: server.url, sessionId: created.id, joinCode: created.joinCode, clients: options.clients, spreadMs: options.spreadMs }, 'joined');
    const instructor = io(server.url, { auth: { sessionId: created.id, role: 'instructor', token: created.instructorToken }, transports: ['websocket'], forceNew: true });
    await new Promise((resolve) => instructor.once('connect', () => resolve(undefined)));
    const result = load.ask({ kind: 'go' }, 'result');
    instructor.emit('inject', { event: { type: 'alert.start', region: 'UA-32', threats: ['drone'] } });
    const run = summary((await result) as Extract<DrillLoadReply, { kind: 'result' }>);
    instructor.close();
    load.child.disconnect();
    const report = (await (await fetch(`${server.url}/api/sessions/${created.id}/report`, { headers: { authorization: `Bearer ${created.instructorToken}` } })).json()) as { answered: number };
    return { ...run, inReport: report.answered };
  } finally {
    await server.stop();
  }
}

async function echoRun(options: DrillBenchOptions): Promise<Run> {
  const server = await startServerProcess(['--import', 'tsx', 'bench/bare-echo.ts'], { cwd: ROOT });
  try {
    const load = loadProcess();
    await load.ask({ kind: 'join', mode: 'echo', url: server.url, clients: options.clients, spreadMs: options.spreadMs }, 'joined');
    const run = summary((await load.ask({ kind: 'go' }, 'result')) as Extract<DrillLoadReply, { kind: 'result' }>);
    load.child.disconnect();
    return run;
  } finally {
    await server.stop();
  }
}

export async function runDrillBench(options: DrillBenchOptions): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ars-bench-drill-'));
  try {
    const load = loadavg()[0]!;
    const echo = await echoRun(options);
    const sim = await simulatorRun(options, dataDir);
    const lost = sim.lost + (sim.answered - sim.inReport);
    const ratio = sim.p99Ms / echo.p99Ms;
    const rows: Row[] = [
      { figure: 'ack latency p50', value: fmt.ms(sim.p50Ms), baseline: fmt.ms(echo.p50Ms), ratio: fmt.ratio(sim.p50Ms / echo.p50Ms), goal: '' },
      { figure: 'ack latency p99', value: fmt.ms(sim.p99Ms), baseline: fmt.ms(echo.p99Ms), ratio: fmt.ratio(ratio), goal: `<= ${GOAL.p99AtMostMs} ms, <= ${GOAL.ratioAtMost}x` },
      { figure: 'ack latency max', value: fmt.ms(sim.maxMs), baseline: fmt.ms(echo.maxMs), ratio: fmt.ratio(sim.maxMs / echo.maxMs), goal: '' },
      { figure: 'answers acknowledged', value: String(sim.answered), baseline: String(echo.answered), ratio: '', goal: String(options.clients) },
      { figure: 'answers lost', value: String(lost), baseline: String(echo.lost), ratio: '', goal: '0' },
    ];
    printTable(`drill: ${options.clients} trainees answering within ${options.spreadMs / 1000} s of one alert (load average ${load.toFixed(2)} at start)`, rows);
    const met = sim.p99Ms <= GOAL.p99AtMostMs && ratio <= GOAL.ratioAtMost && lost === 0;
    process.stdout.write(`\ngoal ${met ? 'met' : 'NOT met'}\n`);
    writeResults(options.out, { machine: machine(), loadAverageAtStart: load, options, goal: GOAL, met, simulator: { ...sim, lost }, echo });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
