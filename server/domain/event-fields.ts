/** Small readings of an event, kept free of zod so the browser can use them. */
import type { ScenarioEvent } from './events.ts';

/** The region an event is about, if any: what `--region` filters and the map highlights. */
export function eventRegion(event: ScenarioEvent): string | undefined {
  return 'region' in event ? event.region : undefined;
}
