import type { Scenario } from '../domain/scenario.ts';

/** An item of `GET /api/scenarios`. */
export interface ScenarioListing {
  readonly id: string;
  readonly title: Scenario['title'];
  readonly description: Scenario['description'];
  readonly start: string;
  readonly timeZone: string;
  readonly durationMs: number;
  readonly eventCount: number;
  readonly sourceCount: number;
}
