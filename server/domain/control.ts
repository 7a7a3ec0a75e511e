/**
 * How a replay is driven (DESIGN.md §4, §5): the controls an instructor sends and the clock
 * every participant sees. Defined once here for the engine, the socket protocol and REST.
 */
import { z } from 'zod';

/** Slowest useful speed: a tenth of real time, to walk through a dense minute. */
export const MIN_SPEED = 0.1;
/** Fastest: an hour of the night per second, so a whole night fits in about ten seconds. */
export const MAX_SPEED = 3600;

export const speedSchema = z
  .number()
  .min(MIN_SPEED, `speed must be at least ${MIN_SPEED}`)
  .max(MAX_SPEED, `speed must be at most ${MAX_SPEED}`);

export const controlSchema = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('play') }),
    z.strictObject({ action: z.literal('pause') }),
    z.strictObject({ action: z.literal('seek'), positionMs: z.number().min(0).finite() }),
    z.strictObject({ action: z.literal('speed'), speed: speedSchema }),
    z.strictObject({ action: z.literal('step'), direction: z.union([z.literal(1), z.literal(-1)]) }),
    z.strictObject({ action: z.literal('restart') }),
    z.strictObject({ action: z.literal('loop'), loop: z.boolean() }),
  ],
  { error: () => 'expected a control: play, pause, seek {positionMs}, speed {speed}, step {direction: 1|-1}, restart or loop {loop}' },
);
export type Control = z.infer<typeof controlSchema>;

export interface ClockState {
  /** Scenario position, ms from the start, at `serverTimeMs`. */
  readonly positionMs: number;
  readonly speed: number;
  readonly playing: boolean;
  readonly loop: boolean;
  readonly durationMs: number;
  /** Server wall time (epoch ms) at which `positionMs` held: clients extrapolate from it. */
  readonly serverTimeMs: number;
}
