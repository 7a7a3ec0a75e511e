/**
 * How much work a scenario may ask of the loader. A few hundred bytes of waves can expand into
 * hundreds of thousands of events (a slow wave on a long route), and a few kilobytes of YAML
 * anchors into a huge document; each is checked against a budget *before* the expensive step,
 * so that loading costs about linear time in what the budget allows.
 *
 * Two budgets: files the operator puts in a folder (or passes to the CLI) are trusted to be big;
 * uploads from anyone are held to what a real night needs. The seed night of 5 to 6 December
 * 2025 has about 900 events, 60 waves, routes under 1,500 km and no more than 30 events at one
 * instant: the upload budget leaves it 50 times that room.
 */
import { geoDistance } from 'd3-geo';
import { regionByCode, type LonLat } from '../domain/regions/index.ts';
import type { Wave } from '../domain/waves.ts';
import type { PathSegment } from './problems.ts';

export interface ScenarioBudget {
  /** Events in the file plus those the waves and carriers compile into. */
  readonly maxEvents: number;
  readonly maxWaves: number;
  readonly maxCarriers: number;
  /** Waypoints of one wave's route. */
  readonly maxWaypoints: number;
  /** Length of one wave's route, launch site included, in km. */
  readonly maxRouteKm: number;
  /** `threat.move` events all waves together generate (one per track every few minutes). */
  readonly maxMoves: number;
  /** YAML aliases (`*name`) in the whole file: resolving them costs more than linear time. */
  readonly maxAliases: number;
  /** Events at one and the same instant: each instant goes out as one message. */
  readonly maxEventsAtOneInstant: number;
}

/** Files an operator installs: large generated nights (the benchmarks use 100,000 events) load. */
export const FILE_BUDGET: ScenarioBudget = {
  maxEvents: 1_000_000,
  maxWaves: 10_000,
  maxCarriers: 1_000,
  maxWaypoints: 1_000,
  maxRouteKm: 40_000,
  maxMoves: 1_000_000,
  maxAliases: 100_000,
  maxEventsAtOneInstant: Number.POSITIVE_INFINITY,
};

/** Uploads from anyone: about 50 times the seed night, a few MB in memory at most. */
export const UPLOAD_BUDGET: ScenarioBudget = {
  maxEvents: 50_000,
  maxWaves: 500,
  maxCarriers: 100,
  maxWaypoints: 64,
  maxRouteKm: 5_000,
  maxMoves: 20_000,
  maxAliases: 1_000,
  maxEventsAtOneInstant: 2_000,
};

const EARTH_RADIUS_KM = 6371;
const MINUTE = 60_000;

export interface BudgetProblem {
  readonly path: PathSegment[];
  readonly message: string;
}

/** Too many items in a top-level list: checked before any item is read. */
export function checkCounts(raw: Record<string, unknown>, budget: ScenarioBudget): BudgetProblem[] {
  const problems: BudgetProblem[] = [];
  const limit = (key: string, max: number) => {
    const list = raw[key];
    if (Array.isArray(list) && list.length > max) problems.push({ path: [key], message: `has ${list.length} items; a scenario may have at most ${max}` });
  };
  limit('events', budget.maxEvents);
  limit('alertRecords', budget.maxEvents);
  limit('waves', budget.maxWaves);
  limit('carriers', budget.maxCarriers);
  const initial = raw.initial as { alerts?: unknown } | null | undefined;
  if (typeof initial === 'object' && initial !== null && Array.isArray(initial.alerts) && initial.alerts.length > budget.maxEvents) {
    problems.push({ path: ['initial', 'alerts'], message: `has ${initial.alerts.length} items; a scenario may have at most ${budget.maxEvents}` });
  }
  return problems;
}

function waypoint(point: Wave['route'][number]): LonLat | undefined {
  return typeof point === 'string' ? regionByCode(point)?.centroid : [point[0], point[1]];
}

/** Length of a wave's route in km (launch site to last waypoint, great circles). */
export function routeKm(wave: Wave): number {
  let km = 0;
  let from: LonLat = wave.launch.from.position;
  for (const point of wave.route) {
    const to = waypoint(point);
    if (!to) continue;
    km += geoDistance(from as [number, number], to as [number, number]) * EARTH_RADIUS_KM;
    from = to;
  }
  return km;
}

/**
 * Routes and the events their waves would generate, estimated from the waves alone (linear in
 * waypoints) before the compiler samples a single route.
 */
export function checkWaves(
  waves: ReadonlyArray<{ value: Wave; index: number }>,
  movePeriodMinutes: number,
  explicitEvents: number,
  budget: ScenarioBudget,
): BudgetProblem[] {
  const problems: BudgetProblem[] = [];
  let moves = 0;
  let items = 0;
  for (const { value: wave, index } of waves) {
    if (wave.route.length > budget.maxWaypoints) {
      problems.push({ path: ['waves', index, 'route'], message: `has ${wave.route.length} waypoints; a route may have at most ${budget.maxWaypoints}` });
      continue;
    }
    const km = routeKm(wave);
    if (km > budget.maxRouteKm) {
      problems.push({ path: ['waves', index, 'route'], message: `is ${Math.round(km)} km long; a route may be at most ${budget.maxRouteKm} km` });
      continue;
    }
    const flightMs = (km / wave.speedKmh) * 3_600_000;
    moves += Math.ceil(flightMs / (movePeriodMinutes * MINUTE)) + 1;
    items += 1 + wave.intercepts.length + wave.impacts.length;
  }
  if (moves > budget.maxMoves) {
    problems.push({ path: ['waves'], message: `would generate about ${moves} threat.move events; a scenario may generate at most ${budget.maxMoves} (fewer waves, shorter routes, higher speeds, or a longer alerting.movePeriodMinutes)` });
  } else if (explicitEvents + moves + items > budget.maxEvents) {
    problems.push({ path: ['waves'], message: `would make about ${explicitEvents + moves + items} events with those in \`events\`; a scenario may have at most ${budget.maxEvents}` });
  }
  return problems;
}

/** The first instant that holds more events than the budget allows, if any (times sorted). */
export function crowdedInstant(sortedTimes: readonly number[], budget: ScenarioBudget): { atMs: number; count: number } | undefined {
  let run = 0;
  for (let i = 0; i < sortedTimes.length; i++) {
    run = i > 0 && sortedTimes[i] === sortedTimes[i - 1] ? run + 1 : 1;
    if (run > budget.maxEventsAtOneInstant) {
      let end = i + 1;
      while (end < sortedTimes.length && sortedTimes[end] === sortedTimes[i]) end += 1;
      return { atMs: sortedTimes[i]!, count: run + (end - i - 1) };
    }
  }
  return undefined;
}
