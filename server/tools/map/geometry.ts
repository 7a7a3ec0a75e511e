/**
 * Polygon arithmetic for build-map: rings and polygons as plain coordinate arrays, their
 * orientation, a rectangle clip and bounding boxes. Its own module because none of it knows
 * about regions, codes or files; these ~130 lines are the part of the tool that a wrong sign
 * breaks silently (d3-geo reads a ring wound the wrong way as the whole globe minus the region),
 * so they are kept where they can be read on their own.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

/** A problem with the input or the output: reported as `build-map: message`, exit code 1. */
export class BuildError extends Error {}

export function fail(message: string): never {
  throw new BuildError(message);
}

export type Ring = Position[];
export type PolygonCoords = Ring[];

export function polygonsOf(geometry: Geometry | null): PolygonCoords[] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return fail(`unexpected geometry type ${geometry.type}`);
}

export function toGeometry(polygons: PolygonCoords[]): Polygon | MultiPolygon {
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0]! };
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Planar signed area (shoelace) in lon/lat; positive = counter-clockwise. */
export function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return sum / 2;
}

export function uniqueCount(ring: Ring): number {
  return new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
}

/**
 * Rewinds for d3-geo (exterior clockwise, holes counter-clockwise, in planar lon/lat terms,
 * which equals spherical orientation for polygons much smaller than a hemisphere), drops
 * 2-D-only coordinates and degenerate rings (a polygon whose exterior collapsed is dropped).
 */
export function rewindForD3(polygons: PolygonCoords[]): PolygonCoords[] {
  const out: PolygonCoords[] = [];
  for (const polygon of polygons) {
    const rings = polygon.map((ring) => ring.map((p): Position => [p[0]!, p[1]!]));
    const exterior = rings[0];
    if (!exterior || uniqueCount(exterior) < 3 || signedArea(exterior) === 0) continue; // collapsed
    const oriented = [exterior, ...rings.slice(1).filter((r) => uniqueCount(r) >= 3 && signedArea(r) !== 0)];
    out.push(oriented.map((ring, index) => ((index === 0) === signedArea(ring) < 0 ? ring : ring.reverse())));
  }
  return out;
}

/** Sutherland–Hodgman clip of a closed ring to a lon/lat rectangle. */
export function clipRing(ring: Ring, [west, south, east, north]: readonly [number, number, number, number]): Ring {
  type Edge = { inside: (p: Position) => boolean; cut: (a: Position, b: Position) => Position };
  const atX = (x: number) => (a: Position, b: Position): Position => [x, a[1]! + ((b[1]! - a[1]!) * (x - a[0]!)) / (b[0]! - a[0]!)];
  const atY = (y: number) => (a: Position, b: Position): Position => [a[0]! + ((b[0]! - a[0]!) * (y - a[1]!)) / (b[1]! - a[1]!), y];
  const edges: Edge[] = [
    { inside: (p) => p[0]! >= west, cut: atX(west) },
    { inside: (p) => p[0]! <= east, cut: atX(east) },
    { inside: (p) => p[1]! >= south, cut: atY(south) },
    { inside: (p) => p[1]! <= north, cut: atY(north) },
  ];
  let points = ring.slice(0, -1); // open
  for (const edge of edges) {
    if (points.length === 0) break;
    const input = points;
    points = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      if (edge.inside(current)) {
        if (!edge.inside(previous)) points.push(edge.cut(previous, current));
        points.push(current);
      } else if (edge.inside(previous)) {
        points.push(edge.cut(previous, current));
      }
    }
  }
  if (points.length < 3) return [];
  return [...points, points[0]!];
}

export function clipPolygons(polygons: PolygonCoords[], window: readonly [number, number, number, number]): PolygonCoords[] {
  const out: PolygonCoords[] = [];
  for (const polygon of polygons) {
    const [exterior, ...holes] = polygon.map((ring) => clipRing(ring, window));
    if (!exterior || exterior.length < 4) continue;
    out.push([exterior, ...holes.filter((h) => h.length >= 4)]);
  }
  return out;
}

export function bboxOf(polygons: PolygonCoords[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const p of ring) {
        b[0] = Math.min(b[0], p[0]!);
        b[1] = Math.min(b[1], p[1]!);
        b[2] = Math.max(b[2], p[0]!);
        b[3] = Math.max(b[3], p[1]!);
      }
    }
  }
  return b;
}

export function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && a[2]! >= b[0]! && a[1]! <= b[3]! && a[3]! >= b[1]!;
}
