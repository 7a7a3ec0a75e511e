/**
 * The overlay of injected events answers exactly as a timeline rebuilt with them would: the same
 * events in the same order, the same counts by time, and the same state at every cursor,
 * whatever the order and place of the injections (earlier ones invalidate later caches).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldEvents, reduce } from '../../../server/domain/reduce.ts';
import { initialState } from '../../../server/domain/state.ts';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import { OverlayTimeline } from '../../../server/engine/overlay.ts';
import { Timeline } from '../../../server/engine/timeline.ts';
import { scenarioOf } from '../../helpers/scenario.ts';

const base = scenarioOf(
  Array.from({ length: 300 }, (_, i) => ({ atMs: Math.floor(i / 3) * 1000, type: 'launch', threat: 'drone', count: 1 + (i % 4), from: { name: { en: 'x' }, position: [40, 50] } })),
);

function injected(n: number, atMs: number): ScenarioEvent {
  return { id: `inject-${n}`, atMs, time: '', text: { en: '' }, type: 'launch', threat: 'cruise_missile', count: n + 1, from: { name: { en: 'y' }, position: [40, 50] } } as ScenarioEvent;
}

describe('OverlayTimeline', () => {
  it('matches a rebuilt timeline after any sequence of injections', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }), (places, probes) => {
        const overlay = new OverlayTimeline(new Timeline(base.events, base.durationMs));
        const merged: ScenarioEvent[] = [...base.events];
        places.forEach((place, n) => {
          const cursor = place % (merged.length + 1);
          const atMs = cursor === 0 ? 0 : merged[cursor - 1]!.atMs;
          const event = injected(n, atMs);
          // Primed with the state after it, as the engine does; later entries lose theirs.
          const after = reduce(foldEvents(initialState(), merged, 0, cursor), event);
          overlay.insert(cursor, event, after);
          merged.splice(cursor, 0, event);
        });
        expect(overlay.length).toBe(merged.length);
        expect(overlay.slice(0, merged.length).map((e) => e.id)).toEqual(merged.map((e) => e.id));
        expect(overlay.events.map((e) => e.id)).toEqual(merged.map((e) => e.id));
        for (const probe of probes) {
          const cursor = probe % (merged.length + 1);
          expect(overlay.stateAt(cursor)).toEqual(foldEvents(initialState(), merged, 0, cursor));
          const atMs = probe * 250;
          expect(overlay.countUpTo(atMs)).toBe(merged.filter((e) => e.atMs <= atMs).length);
          expect(overlay.countBefore(atMs)).toBe(merged.filter((e) => e.atMs < atMs).length);
        }
      }),
      { numRuns: 60 },
    );
  });
});
