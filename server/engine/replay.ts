/**
 * The replay engine: one scenario, played under a stream of controls, on an injectable RxJS
 * scheduler. It knows nothing of sockets or sessions; it says what happened and when.
 *
 * Timing rule (DESIGN.md §4): the clock is an anchor pair (wall time, scenario position) set at
 * every control; each event is due at `anchorWall + (atMs - anchorPos) / speed`. Deadlines are
 * computed from the anchor (anchor.ts), never chained from the previous timer, so a ten-hour
 * night does not drift however late individual timers fire.
 *
 * Position rule: the engine's cursor counts the events already applied. After a seek to p every
 * event at or before p has happened (scrubbing to a moment shows that moment); where a replay
 * starts (its initial position, or 0 after a restart) nothing at that moment has happened yet,
 * so those events fire when play begins. Between
 * controls the invariant is: events before the cursor have `atMs <= position`, events after it
 * have `atMs >= position`, and `state` is exactly the fold of the events before the cursor.
 */
import { Subject, asyncScheduler, interval, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { MAX_SPEED, MIN_SPEED, type ClockState, type Control } from '../domain/control.ts';
import type { ScenarioEvent } from '../domain/events.ts';
import { reduce } from '../domain/reduce.ts';
import type { NightState } from '../domain/state.ts';
import { Anchor } from './anchor.ts';
import { clampSpeed, DEFAULT_CLOCK_INTERVAL_MS, DEFAULT_FRAME_MS, DEFAULT_MAX_FRAME_EVENTS } from './engine-types.ts';
import type { ControlResult, EngineOptions, EngineOutput, JumpReason } from './engine-types.ts';
import { OverlayTimeline } from './overlay.ts';
import type { Timeline } from './timeline.ts';

// What callers import from here: the engine's options, outputs and defaults, kept in engine-types.ts.
export { DEFAULT_CLOCK_INTERVAL_MS, DEFAULT_FRAME_MS, DEFAULT_MAX_FRAME_EVENTS } from './engine-types.ts';
export type { ClockReason, ControlResult, EngineOptions, EngineOutput, JumpReason } from './engine-types.ts';

export class ReplayEngine {
  private readonly scheduler: SchedulerLike;
  private readonly frameMs: number;
  private readonly clockIntervalMs: number;
  private readonly maxFrameEvents: number;
  private readonly out = new Subject<EngineOutput>();
  /** Everything the engine reports, in order. Subscribe before the first control. */
  readonly output$: Observable<EngineOutput> = this.out.asObservable();

  private cursorValue: number;
  private stateValue: NightState;
  private readonly anchor: Anchor;
  private loopValue: boolean;
  private lastEmitWall = Number.NEGATIVE_INFINITY;
  private timer: Subscription | undefined;
  private heartbeat: Subscription | undefined;
  private disposed = false;

  private readonly timeline: OverlayTimeline;

  constructor(timeline: Timeline, options: EngineOptions = {}) {
    this.timeline = new OverlayTimeline(timeline);
    this.maxFrameEvents = options.maxFrameEvents ?? DEFAULT_MAX_FRAME_EVENTS;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.frameMs = options.frameMs ?? DEFAULT_FRAME_MS;
    this.clockIntervalMs = options.clockIntervalMs ?? DEFAULT_CLOCK_INTERVAL_MS;
    this.loopValue = options.loop ?? false;
    const start = Math.max(0, Math.min(options.positionMs ?? 0, timeline.durationMs));
    this.cursorValue = timeline.countBefore(start);
    this.stateValue = timeline.stateAt(this.cursorValue);
    this.anchor = new Anchor(this.timeline, this.scheduler.now(), start, clampSpeed(options.speed ?? 1));
    if (options.playing) this.startPlaying();
  }

  get state(): NightState {
    return this.stateValue;
  }

  /** How many of the timeline's events have been applied. */
  get cursor(): number {
    return this.cursorValue;
  }

  get clock(): ClockState {
    return {
      positionMs: Math.floor(this.anchor.positionAt(this.scheduler.now())),
      speed: this.anchor.speed,
      playing: this.anchor.playing,
      loop: this.loopValue,
      durationMs: this.timeline.durationMs,
      serverTimeMs: this.scheduler.now(),
    };
  }

  /** Feeds the engine from a control stream; results are not reported (use `apply` for that). */
  connect(control$: Observable<Control>): Subscription {
    return control$.subscribe((control) => this.apply(control));
  }

  apply(control: Control): ControlResult {
    if (this.disposed) return invalid('the replay has ended');
    // Whatever fell due under the old anchor is applied first: a control that re-anchors
    // (a speed change, say) must not strand events the frame limit was still holding back.
    this.catchUp(true);
    switch (control.action) {
      case 'play':
        if (!this.anchor.playing) {
          if (this.cursorValue >= this.timeline.length && this.anchor.positionAt(this.scheduler.now()) >= this.timeline.durationMs) {
            this.jumpTo(0, 0, 'restart'); // play at the end starts over, as any player does
          }
          this.startPlaying();
        }
        break;
      case 'pause':
        this.stopPlaying();
        break;
      case 'seek': {
        if (!Number.isFinite(control.positionMs) || control.positionMs < 0) return invalid('positionMs must be a number >= 0');
        const target = Math.min(control.positionMs, this.timeline.durationMs);
        this.jumpTo(target, this.timeline.countUpTo(target), 'seek');
        break;
      }
      case 'speed':
        if (!(control.speed >= MIN_SPEED && control.speed <= MAX_SPEED)) {
          return invalid(`speed must be between ${MIN_SPEED} and ${MAX_SPEED}`);
        }
        this.anchor.reanchor(this.scheduler.now());
        this.anchor.speed = control.speed;
        this.reschedule();
        break;
      case 'step':
        this.step(control.direction);
        break;
      case 'restart':
        this.jumpTo(0, 0, 'restart');
        this.startPlaying();
        break;
      case 'loop':
        this.loopValue = control.loop;
        break;
    }
    const clock = this.clock;
    this.emit({ kind: 'clock', reason: 'control', clock });
    return { ok: true, clock };
  }

  /**
   * Adds an event at the current position (an instructor's ad-hoc event), applies it and emits
   * it like any other. It goes into this engine's overlay of the timeline, so later seeks
   * include it; the shared timeline is not copied.
   */
  inject(make: (positionMs: number) => ScenarioEvent): ScenarioEvent | undefined {
    if (this.disposed) return undefined;
    this.catchUp(true);
    // Paused where events fall due at this very moment (the start of a replay, which holds back
    // the events at its position), those go first: a seek to this moment applies them before the
    // injected event too, so a drill resumed from its store (or on another node) orders them alike.
    if (!this.anchor.playing) this.applyDue(this.scheduler.now(), true);
    const event = make(Math.floor(this.anchor.positionAt(this.scheduler.now())));
    this.stateValue = reduce(this.stateValue, event);
    this.timeline.insert(this.cursorValue, event, this.stateValue);
    this.cursorValue += 1;
    this.emit({ kind: 'events', events: [event] });
    this.reschedule();
    return event;
  }

  /** The events of this replay, injected ones included (see `OverlayTimeline.events`). */
  get events(): readonly ScenarioEvent[] {
    return this.timeline.events;
  }

  /** Events `from` to `to` (exclusive) of this replay, injected ones included. */
  eventsBetween(from: number, to: number): ScenarioEvent[] {
    return this.timeline.slice(from, to);
  }

  /**
   * Puts the cursor back where another process left it (a session taken over after its owner
   * died): the state is recomputed, nothing is emitted, and the events after it fall due as
   * usual. Without this, a position equal to the last event's time would send that event twice.
   */
  restoreCursor(cursor: number): void {
    this.cursorValue = Math.max(0, Math.min(cursor, this.timeline.length));
    this.stateValue = this.timeline.stateAt(this.cursorValue);
    this.reschedule();
  }

  /** The state before the first event (alerts already on when the night begins). */
  get initialState(): NightState {
    return this.timeline.stateAt(0);
  }

  /** Stops every timer and completes the output. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopPlaying();
    this.out.complete();
  }

  private startPlaying(): void {
    this.anchor.reanchor(this.scheduler.now());
    this.anchor.playing = true;
    this.reschedule();
    if (this.clockIntervalMs > 0 && !this.heartbeat) {
      this.heartbeat = interval(this.clockIntervalMs, this.scheduler).subscribe(() =>
        this.emit({ kind: 'clock', reason: 'heartbeat', clock: this.clock }),
      );
    }
  }

  private stopPlaying(): void {
    // Events already due but held back by the frame limit go out now, so a paused clock never
    // shows a position whose events have not been applied.
    if (this.anchor.playing) this.applyDue(this.scheduler.now(), true);
    this.anchor.reanchor(this.scheduler.now());
    this.anchor.playing = false;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.heartbeat?.unsubscribe();
    this.heartbeat = undefined;
  }

  private jumpTo(positionMs: number, cursor: number, reason: JumpReason): void {
    this.cursorValue = cursor;
    this.stateValue = this.timeline.stateAt(cursor);
    this.anchor.position = positionMs;
    this.anchor.wall = this.scheduler.now();
    this.reschedule();
    this.emit({ kind: 'jump', reason, state: this.stateValue, cursor, clock: this.clock });
  }

  private step(direction: 1 | -1): void {
    this.stopPlaying();
    if (direction === 1) {
      const next = this.timeline.at(this.cursorValue);
      if (!next) return;
      this.cursorValue += 1;
      this.stateValue = reduce(this.stateValue, next);
      this.anchor.position = next.atMs;
      this.emit({ kind: 'events', events: [next] });
      return;
    }
    if (this.cursorValue === 0) return;
    const cursor = this.cursorValue - 1;
    this.jumpTo(cursor === 0 ? 0 : this.timeline.at(cursor - 1)!.atMs, cursor, 'step');
  }

  private reschedule(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    if (!this.anchor.playing) return;
    const next = this.timeline.at(this.cursorValue);
    const now = this.scheduler.now();
    // The next wake-up is the next event (no sooner than one frame after the last batch) or
    // the end of the night. Rounding up to whole milliseconds means a timer never fires early.
    const target = next ? Math.max(this.anchor.dueWall(next.atMs), this.lastEmitWall + this.frameMs) : this.anchor.dueWall(this.timeline.durationMs);
    const delay = Math.max(0, Math.ceil(target - now));
    this.timer = this.scheduler.schedule(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    this.catchUp();
    if (this.anchor.playing && !this.timer) this.reschedule();
  }

  /**
   * Brings the state up to the clock while playing: due events applied, the end handled. A
   * timer tick sends at most one frame (`all` false); a control first sends all that is due.
   */
  private catchUp(all = false): void {
    if (!this.anchor.playing) return;
    const position = this.applyDue(this.scheduler.now(), all);
    if (this.cursorValue >= this.timeline.length && position >= this.timeline.durationMs) this.reachEnd();
  }

  /**
   * Applies and emits the events due by wall time `now`, in batches of at most `maxFrameEvents`:
   * one batch, or (`all`) as many as it takes. Returns the position.
   */
  private applyDue(now: number, all = false): number {
    const position = this.anchor.positionAt(now);
    const timeline = this.timeline;
    do {
      const due: ScenarioEvent[] = [];
      let state = this.stateValue;
      for (let next = timeline.at(this.cursorValue); next && next.atMs <= position && due.length < this.maxFrameEvents; next = timeline.at(this.cursorValue)) {
        state = reduce(state, next);
        due.push(next);
        this.cursorValue += 1;
      }
      this.stateValue = state;
      if (due.length === 0) break;
      this.lastEmitWall = now;
      this.emit({ kind: 'events', events: due });
    } while (all);
    return position;
  }

  private reachEnd(): void {
    // A zero-length night would wrap forever without time passing: it stops instead.
    if (this.loopValue && this.timeline.durationMs > 0) {
      this.jumpTo(0, 0, 'loop');
      return;
    }
    this.stopPlaying();
    this.anchor.position = this.timeline.durationMs;
    this.emit({ kind: 'clock', reason: 'end', clock: this.clock });
  }

  private emit(output: EngineOutput): void {
    if (!this.out.closed) this.out.next(output);
  }
}

function invalid(message: string): ControlResult {
  return { ok: false, error: { code: 'invalid_control', message } };
}
