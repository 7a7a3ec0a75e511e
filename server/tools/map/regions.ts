/**
 * Which features of the admin-1 source become the 43 alert regions (27 Ukrainian, 16 Polish) and
 * which are kept as context for the 9 neighbouring countries, and under which codes. Its own
 * module because this is where the source's traps are handled (Crimea and Sevastopol filed under
 * Russia, Polish voivodeships under their pre-2018 letter codes); the geometry after it never
 * looks at a feature's properties again.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { fail, polygonsOf, type PolygonCoords } from './geometry.ts';

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
export const EXPECTED_CODES: readonly string[] = [...UA_CODES, ...PL_CODES].sort();

/** Neighbouring countries drawn as faint context (ISO 3166-1 alpha-2 -> English name). */
export const CONTEXT_COUNTRIES: ReadonlyArray<{ iso: string; name: string }> = [
  { iso: 'BY', name: 'Belarus' },
  { iso: 'CZ', name: 'Czechia' },
  { iso: 'DE', name: 'Germany' },
  { iso: 'HU', name: 'Hungary' },
  { iso: 'LT', name: 'Lithuania' },
  { iso: 'MD', name: 'Moldova' },
  { iso: 'RO', name: 'Romania' },
  { iso: 'RU', name: 'Russia' }, // clipped to RUSSIA_WINDOW (build-map.ts); includes Kaliningrad
  { iso: 'SK', name: 'Slovakia' },
];

export interface SourceProps {
  iso_3166_2?: unknown;
  name_pl?: unknown;
  name?: unknown;
  iso_a2?: unknown;
}

export type SourceFeature = Feature<Geometry, SourceProps>;

export interface Selection {
  /** Region code -> its polygons, as in the source. */
  readonly regions: Map<string, PolygonCoords[]>;
  /** Context country (ISO 3166-1 alpha-2) -> its admin-1 units. */
  readonly context: Map<string, SourceFeature[]>;
}

/** Selects the 43 regions (country from the ISO 3166-2 prefix, never from admin/iso_a2). */
export function selectFeatures(source: FeatureCollection<Geometry, SourceProps>): Selection {
  const regions = new Map<string, PolygonCoords[]>();
  const context = new Map<string, SourceFeature[]>();
  const contextIso = new Set(CONTEXT_COUNTRIES.map((c) => c.iso));
  for (const f of source.features) {
    const iso = typeof f.properties?.iso_3166_2 === 'string' ? f.properties.iso_3166_2 : '';
    const prefix = iso.split('-')[0] ?? '';
    if (prefix === 'UA' || prefix === 'PL') {
      addRegion(regions, prefix === 'UA' ? iso : polishCode(f, iso), prefix, f);
    } else if (contextIso.has(prefix)) {
      const list = context.get(prefix) ?? [];
      list.push(f);
      context.set(prefix, list);
    }
  }
  const missing = EXPECTED_CODES.filter((c) => !regions.has(c));
  if (missing.length > 0) fail(`missing regions: ${missing.join(', ')}`);
  for (const c of CONTEXT_COUNTRIES) {
    if (!context.get(c.iso)?.length) fail(`no admin-1 features for context country ${c.iso}`);
  }
  return { regions, context };
}

/** The current numeric code of a Polish voivodeship, its letter code checked against `name_pl`. */
function polishCode(f: SourceFeature, iso: string): string {
  const mapped = POLAND[iso];
  if (mapped) {
    const namePl = String(f.properties?.name_pl ?? '').toLowerCase();
    if (namePl !== `województwo ${mapped.name}`) {
      fail(`${iso}: expected name_pl "województwo ${mapped.name}", got "${namePl}"; check the letter-to-number map`);
    }
    return mapped.code;
  }
  if (PL_CODES.includes(iso)) return iso; // already a current numeric code (newer Natural Earth release)
  return fail(`unknown Polish code ${iso} (${String(f.properties?.name)})`);
}

function addRegion(regions: Map<string, PolygonCoords[]>, code: string, prefix: string, f: SourceFeature): void {
  if (!EXPECTED_CODES.includes(code)) fail(`unexpected region code ${code} (${String(f.properties?.name)})`);
  if (regions.has(code)) fail(`duplicate region ${code} (${String(f.properties?.name)})`);
  if (f.properties?.iso_a2 !== prefix) {
    console.log(`note: ${code} ${String(f.properties?.name)} has iso_a2=${String(f.properties?.iso_a2)}; using ${prefix} from ISO 3166-2`);
  }
  regions.set(code, polygonsOf(f.geometry));
}
