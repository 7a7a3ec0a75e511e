/**
 * A wave's flight: a group leaving its launch site at a moment and flying its waypoints at a
 * constant speed along great circles. The wave compiler asks it three things: where the group
 * is at a moment, when it is over which region, and when it passes nearest to a reported place.
 *
 * The route is sampled once, every 2 km (fine enough to catch a region's corner: the narrowest
 * oblast neck crossed by a seed route is about 10 km), walking the legs in order, so the work
 * grows linearly with the route's length: the first sampler looked each sample's leg up from
 * the start, and a 4 KB file of 256 antipodal legs kept it busy for 12 seconds.
 */
import { geoDistance, geoInterpolate } from 'd3-geo';
import { regionAt } from '../domain/regions/geometry.ts';
import { requireRegion, type LonLat } from '../domain/regions/index.ts';
import type { Wave } from '../domain/waves.ts';

export const EARTH_RADIUS_KM = 6371;
const SAMPLE_KM = 2;

interface Leg {
  readonly startKm: number;
  readonly km: number;
  readonly to: LonLat;
  readonly along: (t: number) => [number, number];
}

interface Sample {
  readonly km: number;
  readonly point: LonLat;
  readonly region: string | undefined;
}

export interface Flight {
  readonly launchMs: number;
  readonly endMs: number;
  readonly totalKm: number;
  /** Each region the route crosses, with the moments the group enters and leaves it, in order. */
  readonly passages: ReadonlyMap<string, ReadonlyArray<readonly [enter: number, exit: number]>>;
  /** The region the route ends in (undefined outside Ukraine and Poland). */
  readonly lastRegion: string | undefined;
  positionAt(ms: number): LonLat;
  /** The moment the group passes nearest to `place`, and how far it is then; `region` narrows the search. */
  nearestApproach(place: LonLat, region?: string): { atMs: number; km: number };
}

export function distanceKm(a: LonLat, b: LonLat): number {
  return geoDistance(a as [number, number], b as [number, number]) * EARTH_RADIUS_KM;
}

function resolveWaypoint(point: Wave['route'][number]): LonLat {
  return typeof point === 'string' ? requireRegion(point).centroid : [point[0], point[1]];
}

function legsOf(points: readonly LonLat[]): Leg[] {
  const legs: Leg[] = [];
  let startKm = 0;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!;
    const to = points[i]!;
    const km = distanceKm(from, to);
    legs.push({ startKm, km, to, along: geoInterpolate(from as [number, number], to as [number, number]) });
    startKm += km;
  }
  return legs;
}

/** The point `km` along the route, found by binary search over the legs' starting distances. */
function pointOn(legs: readonly Leg[], origin: LonLat, km: number): LonLat {
  if (legs.length === 0) return origin;
  let lo = 0;
  let hi = legs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (legs[mid]!.startKm <= km) lo = mid;
    else hi = mid - 1;
  }
  const leg = legs[lo]!;
  if (leg.km === 0) return leg.to;
  return leg.along(Math.max(0, Math.min(1, (km - leg.startKm) / leg.km))) as LonLat;
}

/** Samples every leg in turn, each from its start, so no sample rescans the route. */
function sample(legs: readonly Leg[], origin: LonLat): Sample[] {
  const samples: Sample[] = [{ km: 0, point: origin, region: regionAt(origin) }];
  for (const leg of legs) {
    const steps = Math.max(1, Math.ceil(leg.km / SAMPLE_KM));
    for (let k = 1; k <= steps; k++) {
      const point = (leg.km === 0 ? leg.to : leg.along(k / steps)) as LonLat;
      samples.push({ km: leg.startKm + (k / steps) * leg.km, point, region: regionAt(point, samples.at(-1)!.region) });
    }
  }
  return samples;
}

export function fly(wave: Pick<Wave, 'launch' | 'route' | 'speedKmh'>, launchMs: number): Flight {
  const origin = wave.launch.from.position;
  const legs = legsOf([origin, ...wave.route.map(resolveWaypoint)]);
  const totalKm = legs.length ? legs.at(-1)!.startKm + legs.at(-1)!.km : 0;
  const msPerKm = 3_600_000 / wave.speedKmh;
  const endMs = launchMs + totalKm * msPerKm;
  const samples = sample(legs, origin);
  const at = (km: number) => launchMs + km * msPerKm;

  const passages = new Map<string, Array<[number, number]>>();
  let current: string | undefined;
  let enteredAt = launchMs;
  for (const s of samples) {
    if (s.region === current) continue;
    if (current) passages.set(current, [...(passages.get(current) ?? []), [enteredAt, at(s.km)]]);
    current = s.region;
    enteredAt = at(s.km);
  }
  if (current) passages.set(current, [...(passages.get(current) ?? []), [enteredAt, endMs]]);

  return {
    launchMs,
    endMs,
    totalKm,
    passages,
    lastRegion: current,
    positionAt: (ms) => pointOn(legs, origin, (Math.max(launchMs, Math.min(endMs, ms)) - launchMs) / msPerKm),
    nearestApproach(place, region) {
      const inRegion = region === undefined ? samples : samples.filter((s) => s.region === region);
      let best = { km: Infinity, along: 0 };
      for (const s of inRegion.length ? inRegion : samples) {
        const km = distanceKm(s.point, place);
        if (km < best.km) best = { km, along: s.km };
      }
      // Refine between the neighbouring samples: the nearest point can lie between two of them.
      for (let d = -SAMPLE_KM; d <= SAMPLE_KM; d += SAMPLE_KM / 8) {
        const along = Math.max(0, Math.min(totalKm, best.along + d));
        const km = distanceKm(pointOn(legs, origin, along), place);
        if (km < best.km) best = { km, along };
      }
      return { atMs: at(best.along), km: best.km };
    },
  };
}

/** Compass heading from `a` to `b`, in whole degrees (0 = north, 90 = east). */
export function heading(a: LonLat, b: LonLat): number {
  const dLon = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  const dLat = b[1] - a[1];
  return Math.round(((Math.atan2(dLon, dLat) * 180) / Math.PI + 360) % 360) % 360;
}

export function roundPosition([lon, lat]: LonLat): [number, number] {
  return [Math.round(lon * 1000) / 1000, Math.round(lat * 1000) / 1000];
}
