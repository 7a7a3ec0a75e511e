/** The seed night, 5 to 6 December 2025, checked against what the sources report. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import { foldEvents } from '../../../server/domain/reduce.ts';
import { regionAt } from '../../../server/domain/regions/geometry.ts';
import type { Scenario } from '../../../server/domain/scenario.ts';
import { initialState } from '../../../server/domain/state.ts';
import { formatIsoInZone } from '../../../server/domain/time.ts';
import { loadScenarioFile } from '../../../server/scenario/load.ts';
import { formatProblem } from '../../../server/scenario/problems.ts';

let night: Scenario;
let events: ScenarioEvent[];

beforeAll(async () => {
  const result = await loadScenarioFile('scenarios/2025-12-06-barrage.yaml');
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  night = result.scenario;
  events = night.events;
});

const of = <T extends ScenarioEvent['type']>(type: T) => events.filter((e): e is Extract<ScenarioEvent, { type: T }> => e.type === type);
const kyiv = (e: ScenarioEvent) => formatIsoInZone(night.startMs + e.atMs, 'Europe/Kyiv');
const atKyiv = (iso: string) => Date.parse(iso) - night.startMs;

const WEST = ['UA-07', 'UA-46', 'UA-21', 'UA-26', 'UA-61', 'UA-56', 'UA-77'];
const POLISH_BORDER = ['UA-07', 'UA-46', 'UA-21'];

describe('the seed night: totals as the Air Force reported them', () => {
  it('653 drones and 51 missiles launched: 3 Kinzhal, 34 cruise, 14 Iskander-M/KN-23', () => {
    const { launched } = foldEvents(initialState(), events).counters;
    expect(launched.drone).toBe(653);
    expect(launched.aeroballistic_missile).toBe(3);
    expect(launched.cruise_missile).toBe(34);
    expect(launched.ballistic_missile).toBe(14);
    expect(launched.aeroballistic_missile + launched.cruise_missile + launched.ballistic_missile).toBe(51);
  });

  it('585 drones and 30 missiles (29 cruise, 1 ballistic) shot down', () => {
    const { intercepted } = foldEvents(initialState(), events).counters;
    expect(intercepted.drone).toBe(585);
    expect(intercepted.cruise_missile).toBe(29);
    expect(intercepted.ballistic_missile + intercepted.aeroballistic_missile).toBe(1);
  });

  it('hits at 29 locations, debris at 3 more; 8 injured where they were; no deaths', () => {
    const { counters } = foldEvents(initialState(), events);
    expect(counters.impacts).toBe(29);
    expect(counters.debris).toBe(3);
    expect(counters.injured).toBe(8);
    expect(counters.killed).toBe(0);
    const injuredIn = (region: string) => of('impact').filter((e) => e.region === region).reduce((n, e) => n + (e.injured ?? 0), 0);
    expect([injuredIn('UA-32'), injuredIn('UA-12'), injuredIn('UA-46')]).toEqual([3, 3, 2]);
  });

  it('has hits in the ten oblasts the sources name, Fastiv station and depot, and Lviv oblast\'s plant and substation', () => {
    const hit = new Set(of('impact').flatMap((e) => (e.region ? [e.region] : [])));
    expect([...hit].sort()).toEqual(['UA-07', 'UA-12', 'UA-18', 'UA-23', 'UA-32', 'UA-46', 'UA-48', 'UA-51', 'UA-63', 'UA-74']);
    const places = of('impact').map((e) => e.place);
    expect(places).toEqual(expect.arrayContaining(['Fastiv railway station', 'Fastiv suburban train depot', 'substation, Stryi district']));
    expect(places.some((p) => p.startsWith('thermal power plant, Sheptytskyi district'))).toBe(true);
    expect(places.some((p) => p.startsWith('Lutsk: food warehouses'))).toBe(true);
  });
});

describe('the seed night: alerts', () => {
  it('closes every alert.start with an alert.end in the same region, never two open at once, none open at the end', () => {
    const open = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'alert.start') {
        expect(open.has(e.region), `${e.region} opened twice at ${kyiv(e)}`).toBe(false);
        open.set(e.region, e.atMs);
      } else if (e.type === 'alert.end') {
        expect(open.has(e.region), `${e.region} closed without an open alert at ${kyiv(e)}`).toBe(true);
        open.delete(e.region);
      }
    }
    expect([...open.keys()]).toEqual([]);
    expect(foldEvents(initialState(), events).counters.regionsUnderAlert).toBe(0);
  });

  it('starts in the east, north and south; the western oblasts come later', () => {
    const first = new Map<string, number>();
    for (const e of of('alert.start')) if (!first.has(e.region)) first.set(e.region, e.atMs);
    const order = [...first.keys()];
    for (const code of order.slice(0, 6)) expect(WEST).not.toContain(code);
    const earlyEast = Math.max(...['UA-59', 'UA-63', 'UA-74', 'UA-65', 'UA-14'].map((c) => first.get(c)!));
    for (const west of WEST) expect(first.get(west), west).toBeGreaterThan(earlyEast);
  });

  it('covers nearly the whole country by about 05:20 Kyiv time, Lviv oblast included', () => {
    const at0520 = foldEvents(initialState(), events.filter((e) => e.atMs <= atKyiv('2025-12-06T05:20:00+02:00')));
    expect(at0520.counters.regionsUnderAlert).toBeGreaterThanOrEqual(24);
    expect(at0520.regions['UA-46']!.alert).not.toBeNull();
  });

  it('keeps the reported alert times exactly: Kyiv oblast about 19:30, Kyiv city 00:30', () => {
    const kyivCity = of('alert.start').filter((e) => e.region === 'UA-30');
    expect(kyiv(kyivCity[0]!)).toBe('2025-12-06T00:30:00+02:00');
    expect(kyivCity[0]!.source).toBe('novyny-kyiv');
    const kyivOblast = of('alert.start').find((e) => e.region === 'UA-32')!;
    expect(kyiv(kyivOblast)).toBe('2025-12-05T19:30:00+02:00');
    expect(kyivOblast.source).toBe('24tv-dec5');
  });
});

describe('the seed night: times the sources give', () => {
  it('has them exactly as given', () => {
    const find = (pred: (e: ScenarioEvent) => boolean) => events.find(pred);
    expect(kyiv(find((e) => e.type === 'impact' && e.place.startsWith('Chernihiv: an explosion'))!)).toBe('2025-12-06T00:17:00+02:00');
    expect(kyiv(find((e) => e.type === 'statement' && e.text.en.includes('Tu-95MS'))!)).toBe('2025-12-06T05:27:00+02:00');
    expect(kyiv(find((e) => e.type === 'launch' && e.threat === 'cruise_missile' && e.model === 'Kh-101')!)).toBe('2025-12-06T05:27:00+02:00');
    expect(kyiv(find((e) => e.type === 'impact' && e.place.startsWith('Lutsk: food warehouses'))!)).toBe('2025-12-06T07:45:00+02:00');
    expect(kyiv(find((e) => e.type === 'statement' && e.source === '24tv-dec5')!)).toBe('2025-12-05T19:47:00+02:00');
    const dnipro = of('intercept').find((e) => e.threat === 'cruise_missile' && e.region === 'UA-12')!;
    expect(kyiv(dnipro) > '2025-12-06T07:00:00+02:00').toBe(true);
  });

  it('has the MiG-31K take-off, marked as reconstructed in time', () => {
    const takeoff = of('carrier.takeoff').find((e) => e.aircraft === 'MiG-31K')!;
    expect(takeoff).toMatchObject({ source: 'liga-live', reconstructed: true });
  });
});

describe('the seed night: Poland', () => {
  it('scrambles jets shortly after 04:00 Warsaw time and stands them down in the morning, with no airspace violation', () => {
    const [scrambled] = of('jets.scrambled');
    expect(scrambled).toMatchObject({ country: 'PL', source: 'onet-dorsz' });
    expect(formatIsoInZone(night.startMs + scrambled!.atMs, 'Europe/Warsaw').slice(11, 16)).toMatch(/^04:(0\d|1\d)$/);
    const [stoodDown] = of('jets.stood_down');
    expect(stoodDown!.atMs).toBeGreaterThan(scrambled!.atMs);
    expect(stoodDown!.reconstructed).toBe(true);
    expect(events.some((e) => e.type === 'statement' && e.source === 'interia-dorsz' && /no violation/.test(e.text.en))).toBe(true);
  });

  it('sounds erroneous sirens in Lubartów county (PL-06) from about 05:30 Warsaw time for about an hour and a half', () => {
    const starts = of('siren.start');
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ region: 'PL-06', erroneous: true });
    expect(starts[0]!.places).toHaveLength(9);
    expect(formatIsoInZone(night.startMs + starts[0]!.atMs, 'Europe/Warsaw').slice(11, 16)).toMatch(/^05:3\d$/);
    const end = of('siren.end')[0]!;
    expect((end.atMs - starts[0]!.atMs) / 60_000).toBeGreaterThanOrEqual(80);
    expect((end.atMs - starts[0]!.atMs) / 60_000).toBeLessThanOrEqual(100);
  });

  it('puts the scramble and the sirens after drones were over the western border oblasts', () => {
    const firstOverBorder = of('threat.move').find((e) => e.count > 0 && POLISH_BORDER.includes(regionAt(e.position) ?? ''));
    expect(firstOverBorder).toBeDefined();
    expect(of('jets.scrambled')[0]!.atMs).toBeGreaterThan(firstOverBorder!.atMs);
    expect(of('siren.start')[0]!.atMs).toBeGreaterThan(firstOverBorder!.atMs);
  });

  it('closes no airport: no source reports a closure that night', () => {
    expect(of('airspace.close')).toEqual([]);
  });
});

describe('the seed night: sources and reconstruction', () => {
  it('carries the 79 sources over, and every event names one that exists or is marked reconstructed', () => {
    expect(night.sources).toHaveLength(79);
    const ids = new Set(night.sources.map((s) => s.id));
    for (const e of events) {
      if (e.source !== undefined) expect(ids.has(e.source), `${e.id}: ${e.source}`).toBe(true);
      expect(e.source !== undefined || e.reconstructed === true, e.id).toBe(true);
    }
  });

  it('marks modelled events with a note on how they were derived', () => {
    for (const e of events.filter((x) => x.reconstructed)) expect(e.note, e.id).toBeTruthy();
  });

  it('has the energy statements, the Zaporizhzhia plant\'s half hour, and Ukrzaliznytsia on Fastiv', () => {
    const statements = of('statement');
    for (const org of ['Ministry of Energy of Ukraine', 'Ukrenergo', 'DTEK', 'International Atomic Energy Agency', 'Ukrzaliznytsia']) {
      expect(statements.some((s) => s.org === org), org).toBe(true);
    }
    expect(statements.find((s) => s.org === 'International Atomic Energy Agency')!.text.en).toMatch(/half an hour/);
    expect(statements.find((s) => s.org === 'Ukrzaliznytsia')!.text.en).toMatch(/Fastiv/);
  });

  it('has Russia\'s claim of 116 drones with its breakdown, and Ryazan as each side reported it', () => {
    const claim = of('claim').find((c) => c.count === 116)!;
    expect(claim.party).toBe('Ministry of Defence of Russia');
    for (const part of ['Ryazan 29', 'Voronezh 27', 'Bryansk 23', 'Belgorod 21', 'Tver 6', 'Kursk 3', 'Lipetsk 3', 'Tambov 2', 'Tula 1', 'Oryol 1']) {
      expect(claim.text.en).toContain(part);
    }
    const ryazan = of('impact').filter((e) => e.place.startsWith('Ryazan'));
    expect(ryazan.map((e) => e.source).sort()).toEqual(['rferl-genshtab', 'tass-ryazan', 'tass-ryazan']);
    expect(ryazan.every((e) => e.region === undefined && e.position !== undefined)).toBe(true);
    expect(of('claim').some((c) => c.party === 'General Staff of the Armed Forces of Ukraine' && /Ryazan/.test(c.text.en))).toBe(true);
  });

  it('gives every explicit statement its text in Ukrainian, English and Polish', () => {
    for (const e of [...of('statement'), ...of('claim')]) {
      expect(e.text.uk, e.id).toBeTruthy();
      expect(e.text.pl, e.id).toBeTruthy();
    }
  });
});
