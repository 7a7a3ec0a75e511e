/**
 * What the replay engine is told and what it reports: its options and defaults, the outputs on
 * `output$` and the answer to a control. Its own module so that the engine's callers (sessions,
 * the CLI, the benchmarks) and its tests can read the whole surface in one place, apart from the
 * ~310 lines of timer logic in replay.ts, which re-exports all of it.
 */
import { MAX_SPEED, MIN_SPEED, type ClockState } from '../domain/control.ts';
import type { SchedulerLike } from 'rxjs';
import type { ScenarioEvent } from '../domain/events.ts';
import type { NightState } from '../domain/state.ts';

/**
 * Events falling due within one frame go out together. 16 ms is one display frame at 60 Hz:
 * nobody can see a difference inside it, and at 3600x it folds an hour of the night into about
 * 225 messages instead of one per event.
 */
export const DEFAULT_FRAME_MS = 16;
/** While playing, the clock is re-sent this often so that clients can correct extrapolation. */
export const DEFAULT_CLOCK_INTERVAL_MS = 5000;
/**
 * Events one message carries at most. At 3600x a crowded stretch of a night falls due at once;
 * past this the rest goes out in the following frames, so that no message (and no encoding of it
 * for every viewer) grows without bound. The seed night's busiest frame at 3600x has about 60.
 */
export const DEFAULT_MAX_FRAME_EVENTS = 1000;

export type JumpReason = 'seek' | 'step' | 'restart' | 'loop';
export type ClockReason = 'control' | 'heartbeat' | 'end';

export type EngineOutput =
  /** Events that fell due, in order, applied to the state before this is emitted. */
  | { readonly kind: 'events'; readonly events: readonly ScenarioEvent[] }
  /** The position moved other than by playing forward: the state was replaced, not folded. */
  | { readonly kind: 'jump'; readonly reason: JumpReason; readonly state: NightState; readonly cursor: number; readonly clock: ClockState }
  | { readonly kind: 'clock'; readonly reason: ClockReason; readonly clock: ClockState };

export type ControlResult =
  | { readonly ok: true; readonly clock: ClockState }
  | { readonly ok: false; readonly error: { readonly code: 'invalid_control'; readonly message: string } };

export interface EngineOptions {
  readonly scheduler?: SchedulerLike;
  readonly frameMs?: number;
  /** 0 turns the periodic clock off. */
  readonly clockIntervalMs?: number;
  readonly positionMs?: number;
  readonly speed?: number;
  readonly playing?: boolean;
  readonly loop?: boolean;
  readonly maxFrameEvents?: number;
}

export function clampSpeed(speed: number): number {
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}
