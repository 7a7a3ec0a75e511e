/**
 * The fan-out benchmark's viewers: load generators (bench/fanout-load.ts) forked from the
 * benchmark, each holding its share of the viewers on one server, and driven as one group.
 * Their results are merged into one set of figures (lags as one typed array).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadCommand, LoadReply, LoadResult } from './fanout-load.ts';
import { cpuSeconds, ROOT, stopProcess, track } from './processes.ts';

/**
 * How long viewers may still take to receive the last item once the replay is over: a saturated
 * load generator can be many seconds behind, and a late item is not a lost one.
 */
export const DRAIN_MS = 60_000;

/** One load generator's viewers: how many, and the server they connect to. */
export interface LoadPart {
  readonly url: string;
  readonly count: number;
}

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
export class LoadGroup {
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

export function addCounts(counts: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
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

