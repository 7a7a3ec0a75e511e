/**
 * The last two steps of build-map, on the quantized topology decoded as a client decodes it:
 * the checks that the written geometry is sound (43 regions in order, no degenerate ring, a
 * sane area, so winding mistakes fail the build), and the facts derived from it (a label point
 * inside each region, its neighbours), written as stable JSON. Its own module because these
 * read only the output, never the source.
 */
import { geoArea, geoCentroid, geoContains } from 'd3-geo';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import polylabel from 'polylabel';
import { feature, neighbors } from 'topojson-client';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';
import { fail, polygonsOf, signedArea, uniqueCount } from './geometry.ts';

export type RegionFacts = Record<string, { centroid: [number, number]; neighbours: string[] }>;

interface DecodedRegions {
  readonly geometries: GeometryCollection['geometries'];
  readonly features: Array<Feature<Polygon | MultiPolygon>>;
  readonly codes: string[];
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0; // + 0 turns -0 into 0

/** Decodes the regions and checks them: order, rings and area (a wrong winding reads as huge). */
export function verifyRegions(regionsTopo: Topology<Objects>, expectedCodes: readonly string[]): DecodedRegions {
  const decoded = regionsTopo.objects.regions as GeometryCollection;
  const features = decoded.geometries.map((g) => feature(regionsTopo, g) as Feature<Polygon | MultiPolygon>);
  const codes = decoded.geometries.map((g) => String(g.id));
  if (codes.join() !== expectedCodes.join()) fail(`regions out of order or incomplete: ${codes.join()}`);
  features.forEach((f, i) => {
    for (const polygon of polygonsOf(f.geometry)) {
      for (const ring of polygon) {
        if (uniqueCount(ring) < 3 || signedArea(ring) === 0) fail(`${codes[i]}: degenerate ring after quantization`);
      }
    }
    const area = geoArea(f);
    if (!(area > 0 && area < 0.01)) fail(`${codes[i]}: geoArea ${area} sr; winding is wrong or the region collapsed`);
  });
  return { geometries: decoded.geometries, features, codes };
}

export function verifyContext(contextTopo: Topology<Objects>): void {
  (contextTopo.objects.countries as GeometryCollection).geometries.forEach((g) => {
    const area = geoArea(feature(contextTopo, g));
    if (!(area > 0 && area < 0.1)) fail(`context ${String(g.id)}: geoArea ${area} sr; winding is wrong`);
  });
}

/** Label point inside each region, and its neighbours (across the UA-PL border too). */
export function deriveFacts({ geometries, features, codes }: DecodedRegions): RegionFacts {
  const adjacency = neighbors(geometries);
  const derived: RegionFacts = {};
  features.forEach((f, i) => {
    const code = codes[i]!;
    let point = geoCentroid(f);
    if (!geoContains(f, point)) {
      const largest = [...polygonsOf(f.geometry)].sort(
        (a, b) => geoArea({ type: 'Polygon', coordinates: b }) - geoArea({ type: 'Polygon', coordinates: a }),
      )[0]!;
      point = polylabel(largest as Array<Array<[number, number]>>, 1e-4);
    }
    const centroid: [number, number] = [round4(point[0]), round4(point[1])];
    if (!geoContains(f, centroid)) fail(`${code}: label point ${centroid.join(',')} is outside the region`);
    const neighbours = (adjacency[i] ?? []).map((j) => codes[j]!).sort();
    if (neighbours.length === 0) fail(`${code} has no neighbours; borders did not line up`);
    derived[code] = { centroid, neighbours };
  });
  return derived;
}

/** Stable JSON: object keys sorted, arrays of primitives on one line, 2-space indent. */
export function stableJson(value: unknown, indent = ''): string {
  const next = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => next + stableJson(v, next)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const body = keys.map((k) => `${next}${JSON.stringify(k)}: ${stableJson((value as Record<string, unknown>)[k], next)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
