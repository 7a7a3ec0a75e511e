/**
 * Which regions a drill's trainees may pick. By default every Ukrainian region the scenario puts
 * under alert (at the start or later): a trainee in a region that never alerts would wait all
 * night (a scenario that alerts none offers them all, for injected alerts). Occupied Crimea and Sevastopol are outside Ukraine's alert system, so they are never
 * offered, even when asked for.
 */
import { ApiError } from '../contract/errors.ts';
import { REGIONS, regionByCode } from '../domain/regions/index.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { NightState } from '../domain/state.ts';

/** Outside the alert system: occupied since 2014. */
export const NOT_OFFERED = new Set(['UA-43', 'UA-40']);

const offered = (code: string) => code.startsWith('UA-') && !NOT_OFFERED.has(code) && regionByCode(code) !== undefined;

export function drillRegions(scenario: Scenario, initial: NightState, requested?: readonly string[]): string[] {
  if (requested) {
    const refused = requested.filter((code) => !offered(code));
    if (refused.length) throw new ApiError('invalid_request', `a drill offers Ukrainian regions inside the alert system only; not ${refused.join(', ')}`);
    return [...new Set(requested)].sort();
  }
  const alerted = new Set<string>();
  for (const [code, region] of Object.entries(initial.regions)) if (region.alert) alerted.add(code);
  for (const e of scenario.events) if (e.type === 'alert.start') alerted.add(e.region);
  const regions = [...alerted].filter(offered).sort();
  // A scenario that alerts no region (a quiet test night) offers them all: injects will alert them.
  return regions.length ? regions : REGIONS.map((r) => r.code).filter(offered);
}
