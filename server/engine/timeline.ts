/**
 * A scenario's events laid out for replay: sorted, searchable by position, and with the state
 * folded (on first need) at regular checkpoints so that the state at any point costs at most one checkpoint
 * copy plus `CHECKPOINT_INTERVAL` reductions, whatever the length of the night.
 */
import type { ScenarioEvent } from '../domain/events.ts';
import { foldEvents } from '../domain/reduce.ts';
import { initialState, type AlertAtStart, type NightState } from '../domain/state.ts';

/**
 * Events between two stored states. A checkpoint is a reference to an immutable state that
 * shares every unchanged part with its neighbours, so it costs little more than its region
 * table; 64 keeps a 100,000-event night at about 1,600 checkpoints (a few MB) while a seek
 * folds at most 63 events (about 0.15 ms; see `npm run bench`).
 */
export const CHECKPOINT_INTERVAL = 64;

export class Timeline {
  /** The timeline of a loaded scenario, starting from the alerts it says were already on. */
  static of(scenario: { events: readonly ScenarioEvent[]; durationMs: number; initial: { alerts: readonly AlertAtStart[] } }): Timeline {
    return new Timeline(scenario.events, scenario.durationMs, CHECKPOINT_INTERVAL, initialState(scenario.initial.alerts));
  }

  private readonly checkpoints: NightState[] = [];

  constructor(
    readonly events: readonly ScenarioEvent[],
    readonly durationMs: number,
    private readonly interval = CHECKPOINT_INTERVAL,
    /** The state at position 0: the scenario's opening alerts. */
    initial: NightState = initialState(),
  ) {
    // Checkpoints are folded when first needed, not here: loading a scenario (an upload, on the
    // event loop) costs nothing per event, and a session that plays from the start never pays.
    this.checkpoints.push(initial);
  }

  /** A new timeline with `event` placed at `index` (its time must keep the order). */
  withInserted(index: number, event: ScenarioEvent): Timeline {
    const events = [...this.events.slice(0, index), event, ...this.events.slice(index)];
    return new Timeline(events, Math.max(this.durationMs, event.atMs), this.interval, this.checkpoints[0]);
  }

  get length(): number {
    return this.events.length;
  }

  /** The state after the first `cursor` events. */
  stateAt(cursor: number): NightState {
    const clamped = Math.max(0, Math.min(cursor, this.events.length));
    const k = Math.floor(clamped / this.interval);
    while (this.checkpoints.length <= k) {
      const m = this.checkpoints.length - 1;
      this.checkpoints.push(foldEvents(this.checkpoints[m]!, this.events, m * this.interval, (m + 1) * this.interval));
    }
    return foldEvents(this.checkpoints[k]!, this.events, k * this.interval, clamped);
  }

  /** How many events happen at or before `positionMs`. */
  countUpTo(positionMs: number): number {
    return this.search((atMs) => atMs <= positionMs);
  }

  /** How many events happen strictly before `positionMs`. */
  countBefore(positionMs: number): number {
    return this.search((atMs) => atMs < positionMs);
  }

  /** Binary search for the first event that fails `isBefore` (events are sorted by time). */
  private search(isBefore: (atMs: number) => boolean): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBefore(this.events[mid]!.atMs)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
