/**
 * The fan-out benchmark's probe: one viewer in the benchmark's own process that records every
 * message the simulator sends with its receipt time, and the recording the bare server replays,
 * scheduled at the times the simulator meant to send each message (not when the probe got it).
 */
import { DEFAULT_FRAME_MS } from '../server/engine/replay.ts';
import type { RecordedMessage } from './bare-server.ts';
import { connectViewer, Tally, type Clock, type Viewer } from './fanout-client.ts';

export interface Probe {
  readonly viewer: Viewer;
  readonly tally: Tally;
  /** Every message after the join, with its receipt time. */
  readonly received: Array<{ at: number; name: string; payload: unknown }>;
  /** The join snapshot. */
  readonly snapshot: Promise<unknown>;
}

/** The probe: one viewer in this process that records every message with its receipt time. */
export function startProbe(url: string, sessionId: string): Probe {
  const tally = new Tally();
  const received: Array<{ at: number; name: string; payload: unknown }> = [];
  const viewer = connectViewer(url, sessionId, tally, (name, payload, at) => received.push({ at, name, payload }));
  const snapshot = new Promise((resolve) => viewer.socket.once('snapshot', resolve));
  return { viewer, tally, received, snapshot };
}

/** The seq of the last item of a message. */
export function lastSeqOf(name: string, payload: unknown): number {
  if (name === 'events') return (payload as Array<{ seq: number }>).at(-1)!.seq;
  return (payload as { seq: number }).seq;
}

/** Time zero of a recording: the wall time stamped on the clock that answered `play`. */
export function originOf(received: ReadonlyArray<{ name: string; payload: unknown }>): number {
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
export function schedule(received: ReadonlyArray<{ at: number; name: string; payload: unknown }>): RecordedMessage[] {
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
