/**
 * When a session counts as idle, and the timer that looks for such sessions. Apart from the
 * registry because the rule has two clocks of its own (30 minutes for a watch session, 12 hours
 * for a drill) and a timer (one look a minute) that the registry only starts and stops.
 */
import type { Session } from './session.ts';

/** Without anyone connected or calling for this long, a session is closed. */
export const DEFAULT_IDLE_MS = 30 * 60_000;
/**
 * A drill waits longer: a class may pause it over a lesson break. Closed, it stays in the store
 * (its report is the instructor's until deleted) and is resumed when the server starts again.
 */
export const DRILL_IDLE_MS = 12 * 60 * 60_000;
/** How often idle sessions are looked for. */
const REAP_EVERY_MS = 60_000;

/** Whether `session` may be closed at `nowMs`: nobody connected, and no call for its idle time. */
export function isIdle(session: Session, nowMs: number, idleMs: number): boolean {
  const cutoff = nowMs - (session.drill ? Math.max(idleMs, DRILL_IDLE_MS) : idleMs);
  return session.connections === 0 && session.lastActivityMs < cutoff;
}

/** Calls `reap` every minute (or every `idleMs`, when shorter) between `start` and `stop`. */
export class IdleReaper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reap: () => void,
    private readonly idleMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(this.reap, Math.min(REAP_EVERY_MS, this.idleMs)).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
