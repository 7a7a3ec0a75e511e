/**
 * The fan-out benchmark's load generator: a child process (forked by bench/fanout.ts) holding
 * the viewers, so that their work does not share an event loop with the probe or the
 * orchestration. Driven over IPC: connect, window, collect, close.
 */
import { connectViewers, missingTail, Tally, waitForSeq, type Viewer } from './fanout-client.ts';

export type LoadCommand =
  | { readonly kind: 'connect'; readonly url: string; readonly sessionId: string; readonly count: number }
  /** Measure from scenario position `fromMs` on (what comes before is the warm-up), replayed at `speed`. */
  | { readonly kind: 'window'; readonly fromMs: number; readonly speed: number }
  | { readonly kind: 'collect'; readonly finalSeq: number; readonly timeoutMs: number }
  | { readonly kind: 'close' };

export interface LoadResult {
  readonly clients: number;
  readonly messages: number;
  readonly items: number;
  readonly lost: number;
  readonly misordered: number;
  readonly unmeasured: number;
  readonly disconnects: number;
  readonly disconnectReasons: Readonly<Record<string, number>>;
  /** Every event's lag at every viewer, ms. */
  readonly lags: Float64Array;
  /** The worst lag of the events due in each second of the window, ms. */
  readonly worstLagBySecond: readonly number[];
}

export type LoadReply =
  | { readonly kind: 'ready'; readonly connectMs: number }
  | { readonly kind: 'measuring' }
  | { readonly kind: 'collected'; readonly result: LoadResult }
  | { readonly kind: 'error'; readonly message: string };

const tally = new Tally();
const viewers: Viewer[] = [];

const reply = (message: LoadReply): void => void process.send!(message);

async function collect(finalSeq: number, timeoutMs: number): Promise<LoadResult> {
  await waitForSeq(viewers, finalSeq, timeoutMs);
  return {
    clients: viewers.length,
    messages: tally.messages,
    items: tally.items,
    lost: tally.lost + missingTail(viewers, finalSeq),
    misordered: tally.misordered + viewers.reduce((sum, v) => sum + v.misordered(), 0),
    unmeasured: tally.unmeasured,
    disconnects: tally.disconnects,
    disconnectReasons: tally.disconnectReasons,
    lags: tally.lags.values(),
    worstLagBySecond: Array.from(tally.worstBySecond, (v) => v ?? 0),
  };
}

/** Closes every viewer, lets the close frames go out, and exits (the parent waits for that). */
function closeAll(): void {
  for (const v of viewers) v.socket.disconnect();
  setTimeout(() => process.exit(0), 200);
}

async function handle(command: LoadCommand): Promise<void> {
  switch (command.kind) {
    case 'connect': {
      const t0 = performance.now();
      await connectViewers(viewers, command.url, command.sessionId, tally, command.count);
      return reply({ kind: 'ready', connectMs: performance.now() - t0 });
    }
    case 'window':
      tally.measureFromMs = command.fromMs;
      tally.speed = command.speed;
      return reply({ kind: 'measuring' });
    case 'collect':
      return reply({ kind: 'collected', result: await collect(command.finalSeq, command.timeoutMs) });
    case 'close':
      closeAll();
      return;
  }
}

process.on('message', (command: LoadCommand) => {
  handle(command).catch((error: unknown) => reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
});
// The orchestrator is gone (it failed or was stopped): nothing left to do here.
process.on('disconnect', closeAll);
