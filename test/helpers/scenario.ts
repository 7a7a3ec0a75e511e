/** Small scenarios built in code, loaded through the real loader so they are valid by construction. */
import { loadScenarioObject } from '../../server/scenario/load.ts';
import type { Scenario } from '../../server/domain/scenario.ts';
import { formatOffsetMs } from '../../server/domain/time.ts';

export const TEST_START = '2025-12-05T18:00:00+02:00';

export function header(extra: Record<string, unknown> = {}) {
  return {
    id: 'test',
    title: { en: 'Test' },
    description: { en: 'A scenario made by a test.' },
    start: TEST_START,
    timeZone: 'Europe/Kyiv',
    ...extra,
  };
}

/** A scenario from events given with `atMs` numbers instead of `at` text. */
export function scenarioOf(events: Array<Record<string, unknown> & { atMs: number }>, extra: Record<string, unknown> = {}): Scenario {
  const result = loadScenarioObject({
    ...header(extra),
    events: events.map(({ atMs, ...rest }) => ({ at: formatOffsetMs(atMs), ...rest })),
  });
  if (!result.ok) throw new Error(`test scenario is invalid: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

/** A statement: the simplest event, for tests about timing rather than meaning. */
export function marker(atMs: number, id: string) {
  return { atMs, id, type: 'statement', org: 'test', text: { en: id } };
}
