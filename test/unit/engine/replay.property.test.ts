/**
 * Whatever controls arrive, whenever they arrive, the engine's state is the fold of the events
 * it has applied, those events are exactly the ones up to the clock's position, and a client
 * that folds what the engine emits (events, and the state carried by jumps) holds the same state.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualTimeScheduler, VirtualAction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Control } from '../../../server/domain/control.ts';
import { foldEvents, reduce } from '../../../server/domain/reduce.ts';
import { initialState, type NightState } from '../../../server/domain/state.ts';
import { DEFAULT_FRAME_MS, ReplayEngine } from '../../../server/engine/replay.ts';
import { Timeline } from '../../../server/engine/timeline.ts';
import { scenarioOf } from '../../helpers/scenario.ts';

const REGIONS = ['UA-46', 'UA-07', 'UA-30', 'PL-06'];

/** A night of alerts that open and close in a few regions, plus hits, with frequent ties. */
const nightArb = fc
  .array(fc.record({ region: fc.constantFrom(...REGIONS), start: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 0, max: 20 }) }), {
    maxLength: 12,
  })
  .map((alerts) => {
    const events: Array<Record<string, unknown> & { atMs: number }> = [];
    const busyUntil = new Map<string, number>();
    for (const a of alerts) {
      const start = a.start * 250;
      if ((busyUntil.get(a.region) ?? -1) >= start) continue; // one open alert per region
      const end = start + a.length * 250;
      busyUntil.set(a.region, end);
      events.push({ atMs: start, type: 'alert.start', region: a.region, threats: ['drone'] });
      events.push({ atMs: start, type: 'impact', region: a.region, place: 'x', target: 'other' });
      events.push({ atMs: end, type: 'alert.end', region: a.region });
    }
    return scenarioOf(events);
  });

const controlArb: fc.Arbitrary<Control> = fc.oneof(
  fc.constant<Control>({ action: 'play' }),
  fc.constant<Control>({ action: 'pause' }),
  fc.integer({ min: 0, max: 16_000 }).map((positionMs): Control => ({ action: 'seek', positionMs })),
  fc.constantFrom(0.1, 0.5, 1, 3, 60, 3600).map((speed): Control => ({ action: 'speed', speed })),
  fc.constantFrom<1 | -1>(1, -1).map((direction): Control => ({ action: 'step', direction })),
  fc.constant<Control>({ action: 'restart' }),
  fc.boolean().map((loop): Control => ({ action: 'loop', loop })),
);

/** Timers that fire up to 7 ms late, as real ones do; position checks must tolerate it. */
class LateScheduler implements SchedulerLike {
  private n = 0;
  constructor(private readonly inner: VirtualTimeScheduler) {}
  now(): number {
    return this.inner.now();
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    this.n = (this.n * 1103515245 + 12345) % 2147483648;
    return this.inner.schedule(work, delay + (this.n % 8), state);
  }
}

describe('replay engine: any sequence of controls', () => {
  it('keeps state equal to a fresh fold up to the clock, and clients that fold the output agree', () => {
    fc.assert(
      fc.property(
        nightArb,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), controlArb), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        (scenario, steps, late) => {
          const virtual = new VirtualTimeScheduler(VirtualAction, Infinity);
          const scheduler: SchedulerLike = late ? new LateScheduler(virtual) : virtual;
          const timeline = new Timeline(scenario.events, scenario.durationMs, 3);
          const engine = new ReplayEngine(timeline, { scheduler, clockIntervalMs: 1000 });
          let client: NightState = initialState();
          engine.output$.subscribe((o) => {
            if (o.kind === 'events') for (const e of o.events) client = reduce(client, e);
            if (o.kind === 'jump') client = o.state;
          });

          const check = (label: string) => {
            const { positionMs, playing, speed } = engine.clock;
            const cursor = engine.cursor;
            expect(engine.state, `${label}: state is the fold of the applied events`).toEqual(
              foldEvents(initialState(), scenario.events, 0, cursor),
            );
            expect(client, `${label}: a client folding the output agrees`).toEqual(engine.state);
            // Applied events are never in the future; unapplied ones are not in the past, except
            // (while playing) those a late timer or the frame limit is still holding back.
            expect(cursor, `${label}: nothing ahead of the clock has happened`).toBeLessThanOrEqual(timeline.countUpTo(positionMs));
            const slackMs = playing ? (DEFAULT_FRAME_MS + 8) * speed + 1 : 0;
            expect(cursor, `${label}: everything behind the clock has happened`).toBeGreaterThanOrEqual(
              timeline.countBefore(positionMs - slackMs),
            );
          };

          let at = 0;
          steps.forEach(([wait, control], i) => {
            at += wait;
            virtual.schedule(() => {
              check(`before control ${i}`);
              const result = engine.apply(control);
              expect(result.ok).toBe(true);
              check(`after control ${i} (${JSON.stringify(control)})`);
            }, at);
            // A look in the middle of the gap that follows, where timers have been firing.
            virtual.schedule(() => check(`between controls ${i} and ${i + 1}`), at + 1 + Math.floor(wait / 2));
          });
          virtual.schedule(() => engine.dispose(), at + 5000);
          virtual.maxFrames = at + 5000;
          virtual.flush();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('replay engine: drift', () => {
  it('computes every deadline from the anchor: late timers never add up over a 10-hour night', () => {
    const minute = 60_000;
    const events = Array.from({ length: 600 }, (_, i) => ({
      atMs: (i + 1) * minute,
      type: 'statement',
      org: 'test',
      text: { en: `minute ${i + 1}` },
    }));
    const scenario = scenarioOf(events);
    const virtual = new VirtualTimeScheduler(VirtualAction, Infinity);
    const engine = new ReplayEngine(new Timeline(scenario.events, scenario.durationMs), {
      scheduler: new LateScheduler(virtual),
      clockIntervalMs: 0,
    });
    const lateness: number[] = [];
    engine.output$.subscribe((o) => {
      if (o.kind === 'events') for (const e of o.events) lateness.push(virtual.now() - e.atMs);
    });
    engine.apply({ action: 'play' });
    virtual.flush();
    expect(lateness).toHaveLength(600);
    // Each timer is up to 7 ms late, so each event may be; chained timers would drift by hours' end.
    expect(Math.max(...lateness)).toBeLessThanOrEqual(7);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });
});
