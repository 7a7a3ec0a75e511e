import { describe, expect, it } from 'vitest';
import { geoContains } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import topology from '../../../server/domain/regions/data/regions.topo.json' with { type: 'json' };
import { REGIONS, canonicalRegionCode, regionByCode, regionsOf } from '../../../server/domain/regions/index.ts';

const topo = topology as unknown as Topology<{ regions: GeometryCollection }>;
const features = new Map<string, Feature<Geometry>>(
  (feature(topo, topo.objects.regions) as { features: Feature<Geometry>[] }).features.map((f) => [String(f.id), f]),
);

function regionAt(lon: number, lat: number): string[] {
  return [...features].filter(([, f]) => geoContains(f, [lon, lat])).map(([code]) => code);
}

describe('regions', () => {
  it('has the 27 Ukrainian regions and the 16 Polish voivodeships, each code once', () => {
    expect(regionsOf('UA')).toHaveLength(27);
    expect(regionsOf('PL')).toHaveLength(16);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(43);
    for (const r of REGIONS) expect(r.code).toMatch(r.country === 'UA' ? /^UA-\d{2}$/ : /^PL-\d{2}$/);
  });

  it('counts Crimea and Sevastopol as Ukraine', () => {
    expect(regionByCode('UA-43')?.country).toBe('UA');
    expect(regionByCode('UA-40')?.country).toBe('UA');
  });

  it('names every region in Ukrainian, English and Polish', () => {
    for (const r of REGIONS) {
      expect(r.name.uk, r.code).toMatch(/\S/);
      expect(r.name.en, r.code).toMatch(/\S/);
      expect(r.name.pl, r.code).toMatch(/\S/);
    }
  });

  it('has boundary geometry for every region and nothing else', () => {
    expect([...features.keys()].sort()).toEqual(REGIONS.map((r) => r.code).sort());
  });

  it('places every centroid inside its own region and no other', () => {
    for (const r of REGIONS) expect(regionAt(r.centroid[0], r.centroid[1]), r.code).toEqual([r.code]);
  });

  it('puts known places in the right region', () => {
    const places: Array<[string, number, number, string]> = [
      ['Simferopol', 34.1, 44.95, 'UA-43'],
      ['Sevastopol', 33.52, 44.6, 'UA-40'],
      ['Kyiv', 30.52, 50.45, 'UA-30'],
      ['Lviv', 24.03, 49.84, 'UA-46'],
      ['Lutsk', 25.33, 50.75, 'UA-07'],
      ['Kharkiv', 36.23, 49.99, 'UA-63'],
      ['Warsaw', 21.01, 52.23, 'PL-14'],
      ['Lubartów', 22.61, 51.46, 'PL-06'],
      ['Rzeszów', 22.0, 50.04, 'PL-18'],
    ];
    for (const [name, lon, lat, code] of places) expect(regionAt(lon, lat), name).toEqual([code]);
  });

  it('has symmetric neighbours, across the border too', () => {
    for (const r of REGIONS) {
      expect(r.neighbours.length, r.code).toBeGreaterThan(0);
      for (const n of r.neighbours) expect(regionByCode(n)?.neighbours, `${r.code} ~ ${n}`).toContain(r.code);
    }
    expect(regionByCode('PL-06')?.neighbours).toEqual(expect.arrayContaining(['UA-07', 'UA-46']));
    expect(regionByCode('UA-30')?.neighbours).toEqual(['UA-32']);
  });

  it('accepts the pre-2018 Polish letter codes as aliases, and nothing unknown', () => {
    expect(canonicalRegionCode('PL-LU')).toBe('PL-06');
    expect(canonicalRegionCode('PL-PK')).toBe('PL-18');
    expect(canonicalRegionCode('pl-lu')).toBe('PL-06');
    expect(canonicalRegionCode('UA-46')).toBe('UA-46');
    expect(canonicalRegionCode('UA-99')).toBeUndefined();
    expect(canonicalRegionCode('PL-XX')).toBeUndefined();
  });

  describe('identifiers of the real alert APIs', () => {
    const ukrainian = regionsOf('UA');

    it('alerts.in.ua: a UID for all 27, one-to-one', () => {
      const uids = ukrainian.map((r) => r.ids.alertsInUa);
      expect(uids.every((u) => typeof u === 'string' && /^\d+$/.test(u))).toBe(true);
      expect(new Set(uids).size).toBe(27);
    });

    it('alerts.in.ua IoT string: the 27 positions 0..26, one region each', () => {
      const positions = ukrainian.map((r) => r.ids.alertsInUaIotIndex).sort((a, b) => a! - b!);
      expect(positions).toEqual([...Array(27).keys()]);
      // Spot checks against the operator's order: Crimea first, Chernihiv last, Lviv 13th.
      expect(regionByCode('UA-43')?.ids.alertsInUaIotIndex).toBe(0);
      expect(regionByCode('UA-74')?.ids.alertsInUaIotIndex).toBe(26);
      expect(regionByCode('UA-46')?.ids.alertsInUaIotIndex).toBe(13);
    });

    it('ukrainealarm: an id for every region but Sevastopol (none is known), one-to-one', () => {
      const withId = ukrainian.filter((r) => r.ids.ukrainealarm !== undefined);
      expect(ukrainian.filter((r) => r.ids.ukrainealarm === undefined).map((r) => r.code)).toEqual(['UA-40']);
      expect(new Set(withId.map((r) => r.ids.ukrainealarm)).size).toBe(26);
      expect(regionByCode('UA-43')?.ids.ukrainealarm).toBe('9999');
    });

    it('alerts.com.ua: ids 1..25 for the regions it covers (not Crimea, not Sevastopol)', () => {
      const covered = ukrainian.filter((r) => r.ids.alertsComUa !== undefined);
      expect(ukrainian.filter((r) => r.ids.alertsComUa === undefined).map((r) => r.code).sort()).toEqual(['UA-40', 'UA-43']);
      expect(covered.map((r) => r.ids.alertsComUa).sort((a, b) => a! - b!)).toEqual([...Array(25).keys()].map((i) => i + 1));
    });

    it('gives Polish voivodeships no Ukrainian API ids', () => {
      for (const r of regionsOf('PL')) expect(r.ids).toEqual({});
    });
  });
});
