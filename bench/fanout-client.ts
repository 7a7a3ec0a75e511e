/**
 * What one viewer of the fan-out benchmark does with what it receives: checks that items arrive
 * one seq after another, and measures each event's delivery lag. The load generator runs
 * thousands of these; the probe, one. Both servers (the simulator and the bare baseline) are
 * measured by this same code, so their figures compare.
 */
import { connect, type SimClient } from '../client/sdk/index.ts';
import { epochNow } from './epoch.ts';

export { epochNow };

/** Clock state as the protocol sends it (the `clock` message and the snapshot's `clock`). */
export interface Clock {
  readonly seq: number;
  readonly positionMs: number;
  readonly speed: number;
  readonly playing: boolean;
  readonly serverTimeMs: number;
}

/** A growable array of doubles: millions of lags without millions of boxed numbers. */
export class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Totals over every client of one process. Seqs are checked over the whole run; messages, items
 * and lags count only from scenario position `measureFromMs` on (an event's atMs, a clock's
 * positionMs): a warm-up is left out, and both servers' runs count exactly the same items.
 */
export class Tally {
  /** Nothing is measured until the window is set. */
  measureFromMs = Number.POSITIVE_INFINITY;
  /** The replay's speed, to turn scenario time in the window into wall seconds. */
  speed = 1;
  readonly lags = new Samples();
  /** The worst lag of the events due in each wall second of the window: shows when a stall happened. */
  readonly worstBySecond: number[] = [];
  /** `events` and `clock` messages in the window (the join snapshot is never counted). */
  messages = 0;
  /** Items in the window: each event of an `events` message, and each clock. */
  items = 0;
  /** Items skipped over (a seq gap); the missing tail is added when the run is collected. */
  lost = 0;
  /** Items whose seq was not above the previous one: out of order or twice. */
  misordered = 0;
  /** Events that came while the latest clock said paused: no due time to measure against. */
  unmeasured = 0;
  /** Clients whose connection dropped during the run, and socket.io's reasons. */
  disconnects = 0;
  readonly disconnectReasons: Record<string, number> = {};
}

export interface Viewer {
  readonly client: SimClient;
  readonly socket: SimClient['socket'];
  /** Seq of the last item received in order; the snapshot's seq until the first item. */
  readonly lastSeq: number;
  /** Items that came twice or out of order (the SDK hands each on once, in order). */
  misordered(): number;
  /** Resolves on the join snapshot; rejects if the connection is refused. */
  readonly ready: Promise<void>;
}

export type Recorder = (name: string, payload: unknown, receivedAt: number) => void;

/**
 * Connects a viewer to `url` through the SDK and accounts for everything it receives in `tally`.
 * The SDK puts items in order; here it neither folds the state (a load generator only counts)
 * nor asks for a hole again (a loss is counted, not repaired). `record`, if given, also sees
 * every message as it came off the wire (the probe records the run this way).
 */
export function connectViewer(url: string, sessionId: string, tally: Tally, record?: Recorder): Viewer {
  // forceNew (the SDK's default): one connection per viewer, not all multiplexed on one.
  const client = connect({ url, sessionId, fold: false, resync: false, socket: { reconnection: false, timeout: 60_000 } });
  const viewer: Viewer = {
    client,
    socket: client.socket,
    get lastSeq() {
      return client.lastSeq ?? 0;
    },
    misordered: () => client.stats.duplicates + client.stats.reordered,
    ready: client.ready().then(() => undefined),
  };
  let joined = false;
  // A snapshot after the join means a jump (a seek): the state was replaced, seqs go on.
  if (record) client.raw$.subscribe(({ name, payload }) => (name !== 'snapshot' || joined ? record(name, payload, epochNow()) : undefined));
  client.snapshot$.subscribe(() => (joined = true));
  client.gap$.subscribe((gap) => (tally.lost += gap.toSeq - gap.fromSeq + 1));
  client.event$.subscribe((e) => {
    if (e.atMs < tally.measureFromMs) return;
    tally.items += 1;
    const now = epochNow();
    // Due time: the latest clock's wall time plus the scenario time still to go at its speed.
    const clock = client.clock;
    if (clock?.playing) {
      const due = clock.serverTimeMs + (e.atMs - clock.positionMs) / clock.speed;
      tally.lags.push(now - due);
      const second = Math.floor((e.atMs - tally.measureFromMs) / tally.speed / 1000);
      tally.worstBySecond[second] = Math.max(tally.worstBySecond[second] ?? 0, now - due);
    } else tally.unmeasured += 1;
  });
  client.raw$.subscribe(({ name, payload }) => {
    // Messages in the window: an events message with an event in it, or a clock.
    if (name === 'events' && (payload as Array<{ atMs: number }>).some((e) => e.atMs >= tally.measureFromMs)) tally.messages += 1;
    if (name === 'clock' && (payload as { positionMs: number }).positionMs >= tally.measureFromMs) {
      tally.messages += 1;
      tally.items += 1;
    }
  });
  client.socket.on('disconnect', (reason: string) => {
    if (reason === 'io client disconnect') return;
    tally.disconnects += 1;
    tally.disconnectReasons[reason] = (tally.disconnectReasons[reason] ?? 0) + 1;
  });
  return viewer;
}

/**
 * Connects `count` viewers in batches, each batch waiting for all its snapshots, so that the
 * server is not hit by thousands of handshakes at once. Resolves once all have their snapshot;
 * `viewers` holds every one created, so that a caller can close them even after a failure.
 */
export async function connectViewers(viewers: Viewer[], url: string, sessionId: string, tally: Tally, count: number, batch = 250): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    const group = Array.from({ length: Math.min(batch, count - start) }, () => connectViewer(url, sessionId, tally));
    viewers.push(...group);
    await Promise.all(group.map((v) => v.ready));
  }
}

/** Resolves once every viewer has `seq`, or after `timeoutMs` (what is missing is then lost). */
export async function waitForSeq(viewers: readonly Viewer[], seq: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (viewers.some((v) => v.lastSeq < seq) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return epochNow();
}

/** Items each viewer never received up to `finalSeq`. */
export function missingTail(viewers: readonly Viewer[], finalSeq: number): number {
  return viewers.reduce((sum, v) => sum + Math.max(0, finalSeq - v.lastSeq), 0);
}
