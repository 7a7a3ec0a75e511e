import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateScenario } from '../../../server/scenario/generate.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';

describe('generate', () => {
  it('makes a valid scenario with exactly the events asked for, whatever the size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.nat(), (events, seed) => {
        const result = loadScenarioObject(generateScenario({ events, seed }));
        if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
        expect(result.scenario.events).toHaveLength(events);
        expect(result.scenario.events.every((e) => e.reconstructed === true)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateScenario({ events: 200, seed: 7 })).toEqual(generateScenario({ events: 200, seed: 7 }));
    expect(generateScenario({ events: 200, seed: 7 })).not.toEqual(generateScenario({ events: 200, seed: 8 }));
  });

  it('ends with no alert open', () => {
    const result = loadScenarioObject(generateScenario({ events: 5000, seed: 3 }));
    if (!result.ok) throw new Error('invalid');
    const open = new Set<string>();
    for (const e of result.scenario.events) {
      if (e.type === 'alert.start') open.add(e.region);
      if (e.type === 'alert.end') open.delete(e.region);
    }
    expect(open.size).toBe(0);
    expect(result.scenario.events.filter((e) => e.type === 'alert.start').length).toBeGreaterThan(100);
  });
});
