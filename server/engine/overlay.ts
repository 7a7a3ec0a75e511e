/**
 * A session's own events laid over a scenario's shared, immutable timeline: an instructor's
 * injected events. Injecting used to rebuild the whole timeline and its checkpoints (212 ms on
 * a 345,000-event night, and every inject paid it again); the overlay only places the event in
 * a short sorted list, O(log n + k) for k injected events (a session may inject at most a
 * thousand), and primes the state after it, which the engine already holds.
 *
 * States past an injected event are folded lazily from the state after it, with checkpoints of
 * their own every `CHECKPOINT_INTERVAL` events, cached until an earlier inject invalidates them:
 * a seek costs what it costs on the bare timeline, plus one binary search.
 */
import type { ScenarioEvent } from '../domain/events.ts';
import { foldEvents, reduce } from '../domain/reduce.ts';
import type { NightState } from '../domain/state.ts';
import { CHECKPOINT_INTERVAL, type Timeline } from './timeline.ts';

interface Injected {
  /** Base events before it. */
  readonly base: number;
  readonly event: ScenarioEvent;
  /** The state just after it, once known. */
  after: NightState | undefined;
  /** States after it and every `CHECKPOINT_INTERVAL` base events that follow, as computed. */
  checkpoints: NightState[];
}

export class OverlayTimeline {
  private readonly injected: Injected[] = [];
  private lastInjectedAtMs = Number.NEGATIVE_INFINITY;
  /** Every event as one array, built when first asked for after an inject. */
  private merged: readonly ScenarioEvent[] | undefined;

  constructor(readonly base: Timeline) {}

  get length(): number {
    return this.base.length + this.injected.length;
  }

  get durationMs(): number {
    return Math.max(this.base.durationMs, this.lastInjectedAtMs);
  }

  /** The event at merged index `i`. */
  at(i: number): ScenarioEvent | undefined {
    const j = this.lastInjectedAtOrBefore(i);
    if (j >= 0 && this.mergedIndex(j) === i) return this.injected[j]!.event;
    return this.base.events[i - (j + 1)];
  }

  /**
   * Every event as one array: the shared timeline's own while nothing is injected, else a copy
   * made on first request after an inject (readers that fold the whole night, such as the
   * compatible feeds, pay it; an inject does not). A new inject gives a new array.
   */
  get events(): readonly ScenarioEvent[] {
    if (this.injected.length === 0) return this.base.events;
    this.merged ??= this.slice(0, this.length);
    return this.merged;
  }

  /** Events `from` (inclusive) to `to` (exclusive), in order. */
  slice(from: number, to: number): ScenarioEvent[] {
    const out: ScenarioEvent[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i)!);
    return out;
  }

  countUpTo(positionMs: number): number {
    return this.base.countUpTo(positionMs) + this.countInjected((atMs) => atMs <= positionMs);
  }

  countBefore(positionMs: number): number {
    return this.base.countBefore(positionMs) + this.countInjected((atMs) => atMs < positionMs);
  }

  /** Places `event` at merged index `cursor`; `after` is the state once it is applied. */
  insert(cursor: number, event: ScenarioEvent, after: NightState): void {
    const j = this.countInjectedBefore(cursor);
    this.injected.splice(j, 0, { base: cursor - j, event, after, checkpoints: [after] });
    this.merged = undefined;
    // Everything folded past a later injected event assumed this one absent.
    for (let i = j + 1; i < this.injected.length; i++) {
      this.injected[i]!.after = undefined;
      this.injected[i]!.checkpoints = [];
    }
    this.lastInjectedAtMs = Math.max(this.lastInjectedAtMs, event.atMs);
  }

  /** The state after the first `cursor` events. */
  stateAt(cursor: number): NightState {
    const clamped = Math.max(0, Math.min(cursor, this.length));
    const j = this.countInjectedBefore(clamped) - 1;
    if (j < 0) return this.base.stateAt(clamped);
    const entry = this.injected[j]!;
    const after = this.stateAfter(j);
    if (entry.checkpoints.length === 0) entry.checkpoints.push(after);
    // Base events from entry.base to entry.base + n, folded from the state after the injected one.
    const n = clamped - this.mergedIndex(j) - 1;
    const k = Math.floor(n / CHECKPOINT_INTERVAL);
    const events = this.base.events;
    while (entry.checkpoints.length <= k) {
      const m = entry.checkpoints.length - 1;
      const from = entry.base + m * CHECKPOINT_INTERVAL;
      entry.checkpoints.push(foldEvents(entry.checkpoints[m]!, events, from, from + CHECKPOINT_INTERVAL));
    }
    return foldEvents(entry.checkpoints[k]!, events, entry.base + k * CHECKPOINT_INTERVAL, entry.base + n);
  }

  private stateAfter(j: number): NightState {
    const entry = this.injected[j]!;
    entry.after ??= reduce(this.stateAt(this.mergedIndex(j)), entry.event);
    return entry.after;
  }

  private mergedIndex(j: number): number {
    return this.injected[j]!.base + j;
  }

  /** Largest j whose merged index is <= i, or -1. */
  private lastInjectedAtOrBefore(i: number): number {
    let lo = 0;
    let hi = this.injected.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.mergedIndex(mid) <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Injected events whose merged index is below `cursor`. */
  private countInjectedBefore(cursor: number): number {
    return this.lastInjectedAtOrBefore(cursor - 1) + 1;
  }

  /** Injected events whose time passes `test` (their times are in order). */
  private countInjected(test: (atMs: number) => boolean): number {
    let lo = 0;
    let hi = this.injected.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(this.injected[mid]!.event.atMs)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
