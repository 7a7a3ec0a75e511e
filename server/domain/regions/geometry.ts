/**
 * Region boundaries as GeoJSON features, and the question the wave compiler asks thousands of
 * times per route: which region is this point in? Pure (d3-geo and topojson-client have no DOM
 * or Node dependencies), so the browser can use the same answers.
 */
import { geoBounds, geoContains } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import topology from './data/regions.topo.json' with { type: 'json' };
import { regionByCode, type LonLat } from './index.ts';

export type RegionFeature = Feature<Geometry, Record<string, never>> & { id: string };

interface Located {
  readonly code: string;
  readonly feature: RegionFeature;
  /** [[west, south], [east, north]]: a cheap first test before the exact one. */
  readonly bounds: [[number, number], [number, number]];
}

const topo = topology as unknown as Topology<{ regions: GeometryCollection }>;

/** The boundary of every region, keyed by code. */
export const REGION_FEATURES: ReadonlyMap<string, RegionFeature> = new Map(
  (feature(topo, topo.objects.regions) as unknown as { features: RegionFeature[] }).features.map((f) => [String(f.id), f]),
);

const located: readonly Located[] = [...REGION_FEATURES].map(([code, f]) => ({ code, feature: f, bounds: geoBounds(f) }));
const byCode = new Map(located.map((l) => [l.code, l]));

function contains(l: Located, [lon, lat]: LonLat): boolean {
  const [[w, s], [e, n]] = l.bounds;
  return lon >= w && lon <= e && lat >= s && lat <= n && geoContains(l.feature, [lon, lat]);
}

/**
 * The region containing the point, or undefined outside Ukraine and Poland. `hint` (the
 * region of the previous point on a path) and its neighbours are tried first: along a route
 * the answer is almost always one of them.
 */
export function regionAt(point: LonLat, hint?: string): string | undefined {
  if (hint) {
    const here = byCode.get(hint);
    if (here && contains(here, point)) return hint;
    for (const n of regionByCode(hint)?.neighbours ?? []) {
      const near = byCode.get(n);
      if (near && contains(near, point)) return n;
    }
  }
  for (const l of located) if (contains(l, point)) return l.code;
  return undefined;
}
