/**
 * Region lookups: the table joined with the facts derived from the boundary data
 * (a label point inside each region and its neighbours), and the code aliases accepted on input.
 */
import derived from './data/derived.json' with { type: 'json' };
import { REGION_TABLE, type Country, type RegionRecord } from './table.ts';

export { COUNTRIES, REGION_TABLE, type Country, type ExternalIds, type LocalizedName, type RegionRecord } from './table.ts';

/** A point as GeoJSON orders it: longitude first. */
export type LonLat = readonly [lon: number, lat: number];

export interface Region extends RegionRecord {
  /** A point inside the region, for labels and for routes that name a region. */
  readonly centroid: LonLat;
  /** Codes of the regions that share a border with it, across the UA–PL border too. */
  readonly neighbours: readonly string[];
}

interface DerivedFacts {
  readonly centroid: readonly number[];
  readonly neighbours: string[];
}

const derivedByCode = derived as Record<string, DerivedFacts>;

export const REGIONS: readonly Region[] = REGION_TABLE.map((record) => {
  const facts = derivedByCode[record.code];
  if (!facts) throw new Error(`derived.json has no entry for ${record.code}: regenerate it with server/tools/build-map.ts`);
  const [lon, lat] = facts.centroid;
  if (lon === undefined || lat === undefined) throw new Error(`derived.json has no centroid for ${record.code}`);
  return { ...record, centroid: [lon, lat], neighbours: facts.neighbours };
});

/** Every current code, Ukrainian first, in the table's order. */
export const REGION_CODES = REGIONS.map((r) => r.code) as [string, ...string[]];

const byCode = new Map<string, Region>(REGIONS.map((r) => [r.code, r]));
const aliasToCode = new Map<string, string>(
  REGIONS.flatMap((r) => (r.legacyCode ? [[r.legacyCode, r.code] as const] : [])),
);

/** Codes accepted on input: current codes plus Poland's pre-2018 letter codes. */
export const ACCEPTED_REGION_CODES = [...REGION_CODES, ...aliasToCode.keys()] as [string, ...string[]];

/** The current code for a current code or an alias; undefined when unknown. Case-insensitive. */
export function canonicalRegionCode(input: string): string | undefined {
  const upper = input.trim().toUpperCase();
  if (byCode.has(upper)) return upper;
  return aliasToCode.get(upper);
}

export function regionByCode(code: string): Region | undefined {
  return byCode.get(code);
}

export function requireRegion(code: string): Region {
  const region = byCode.get(code);
  if (!region) throw new Error(`unknown region code ${code}`);
  return region;
}

export function regionsOf(country: Country): Region[] {
  return REGIONS.filter((r) => r.country === country);
}
