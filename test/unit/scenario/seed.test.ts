/** The seed night, 5 to 6 December 2025, checked against what the sources report. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, LocalizedText, ScenarioEvent } from '../../../server/domain/events.ts';
import { geoDistance } from 'd3-geo';
import { foldEvents, reduce } from '../../../server/domain/reduce.ts';
import type { LonLat } from '../../../server/domain/regions/index.ts';
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

/** The state just after everything up to `ms` has happened, from the night's opening alerts. */
const stateAt = (ms: number) => foldEvents(initialState(night.initial.alerts), events.filter((e) => e.atMs <= ms));
const finalState = () => foldEvents(initialState(night.initial.alerts), events);

const of = <T extends ScenarioEvent['type']>(type: T) => events.filter((e): e is Extract<ScenarioEvent, { type: T }> => e.type === type);
const kyiv = (e: ScenarioEvent) => formatIsoInZone(night.startMs + e.atMs, 'Europe/Kyiv');
const atKyiv = (iso: string) => Date.parse(iso) - night.startMs;

const WEST = ['UA-07', 'UA-46', 'UA-21', 'UA-26', 'UA-61', 'UA-56', 'UA-77'];

/**
 * The official alert channel's state at 02:26:56 Kyiv time on 6 December 2025, as the public
 * dataset of Ukraine's alert channel recorded it (commit 208c985 of Vadym Klymenko's
 * ukrainian-air-raid-sirens-dataset): for each oblast under alert, the earliest start among its
 * areas still under alert. Every other Ukrainian region was calm.
 */
const RECORD_AT = '2025-12-06T02:26:56+02:00';
const RECORD: Readonly<Record<string, string>> = {
  'UA-09': '2022-04-04T19:45:39+03:00',
  'UA-63': '2024-05-12T11:37:29+03:00',
  'UA-14': '2025-12-03T18:22:31+02:00',
  'UA-12': '2025-12-05T09:43:57+02:00',
  'UA-74': '2025-12-05T15:54:21+02:00',
  'UA-59': '2025-12-05T17:21:44+02:00',
  'UA-53': '2025-12-05T21:54:11+02:00',
  'UA-71': '2025-12-05T22:42:37+02:00',
  'UA-32': '2025-12-05T22:42:44+02:00',
  'UA-35': '2025-12-05T23:17:59+02:00',
  'UA-18': '2025-12-05T23:50:42+02:00',
  'UA-05': '2025-12-06T00:09:56+02:00',
  'UA-30': '2025-12-06T00:29:58+02:00',
  'UA-23': '2025-12-06T00:39:37+02:00',
  'UA-46': '2025-12-06T02:24:16+02:00',
  'UA-68': '2025-12-06T02:24:17+02:00',
};

/** Latin-script words a Ukrainian text may hold: the North Korean missile's designation. */
const LATIN_ALLOWED_IN_UK = new Set(['KN']);
/** English words that would betray an untranslated fragment in a Polish text. */
const ENGLISH_WORDS = new Set(['the', 'and', 'of', 'with', 'hit', 'further', 'location', 'area', 'launch', 'modelled', 'reported', 'not', 'named', 'in', 'sources', 'district', 'oblast', 'region', 'time', 'was', 'were', 'is']);
const POLISH_BORDER = ['UA-07', 'UA-46', 'UA-21'];

describe('the seed night: totals as the Air Force reported them', () => {
  it('653 drones and 51 missiles launched: 3 Kinzhal, 34 cruise, 14 Iskander-M/KN-23', () => {
    const { launched } = finalState().counters;
    expect(launched.drone).toBe(653);
    expect(launched.aeroballistic_missile).toBe(3);
    expect(launched.cruise_missile).toBe(34);
    expect(launched.ballistic_missile).toBe(14);
    expect(launched.aeroballistic_missile + launched.cruise_missile + launched.ballistic_missile).toBe(51);
  });

  it('585 drones and 30 missiles (29 cruise, 1 ballistic) shot down', () => {
    const { intercepted } = finalState().counters;
    expect(intercepted.drone).toBe(585);
    expect(intercepted.cruise_missile).toBe(29);
    expect(intercepted.ballistic_missile + intercepted.aeroballistic_missile).toBe(1);
  });

  it('hits at 29 locations, debris at 3 more; 8 injured where they were; no deaths', () => {
    const { counters } = finalState();
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
    const places = of('impact').map((e) => e.place.en);
    expect(places).toEqual(expect.arrayContaining(['Fastiv railway station', 'Fastiv suburban train depot', 'substation, Stryi district']));
    expect(places.some((p) => p.startsWith('thermal power plant, Sheptytskyi district'))).toBe(true);
    expect(places.some((p) => p.startsWith('Lutsk: food warehouses'))).toBe(true);
  });
});

describe('the seed night: alerts', () => {
  it('never opens an alert twice in a region, closes only open ones, and leaves open only those still on the next day', () => {
    const open = new Map<string, number>(night.initial.alerts.map((a) => [a.region, a.sinceMs]));
    for (const e of events) {
      if (e.type === 'alert.start') {
        expect(open.has(e.region), `${e.region} opened twice at ${kyiv(e)}`).toBe(false);
        open.set(e.region, e.atMs);
      } else if (e.type === 'alert.end') {
        expect(open.has(e.region), `${e.region} closed without an open alert at ${kyiv(e)}`).toBe(true);
        open.delete(e.region);
      }
    }
    expect([...open.keys()].sort()).toEqual(['UA-09', 'UA-14']);
  });

  it('keeps Luhansk oblast (since April 2022) and Donetsk oblast (since 3 December) under alert at every moment', () => {
    const [luhansk, donetsk] = ['UA-09', 'UA-14'].map((code) => night.initial.alerts.find((a) => a.region === code)!);
    expect(luhansk!.since).toBe('2022-04-04T19:45:39+03:00');
    expect(donetsk!.since).toBe('2025-12-03T18:22:31+02:00');
    let state = initialState(night.initial.alerts);
    for (const e of [undefined, ...events]) {
      if (e) state = reduce(state, e);
      expect(state.regions['UA-09']!.alert?.sinceMs, e?.id).toBe(luhansk!.sinceMs);
      expect(state.regions['UA-14']!.alert?.sinceMs, e?.id).toBe(donetsk!.sinceMs);
    }
  });

  it('at 02:26:56 equals the official record for all 27 Ukrainian regions, with each alert\'s start as recorded', () => {
    const state = stateAt(atKyiv(RECORD_AT));
    const ukrainian = Object.values(state.regions).filter((r) => r.country === 'UA');
    expect(ukrainian).toHaveLength(27);
    for (const region of ukrainian) {
      const since = RECORD[region.code];
      expect(region.alert !== null, `${region.code} under alert at 02:26:56`).toBe(since !== undefined);
      if (since) expect(night.startMs + region.alert!.sinceMs, region.code).toBe(Date.parse(since));
    }
    expect(state.counters.regionsUnderAlert).toBe(16);
  });

  it('opens with the alerts begun before 17:00 (Luhansk, Kharkiv, Donetsk, Dnipropetrovsk, Chernihiv), not with invented starts', () => {
    expect(night.initial.alerts.map((a) => a.region).sort()).toEqual(['UA-09', 'UA-12', 'UA-14', 'UA-63', 'UA-74']);
    for (const a of night.initial.alerts) {
      expect(a.sinceMs).toBeLessThan(0);
      expect(a.source).toBe('official-alerts-snapshot');
      expect(Date.parse(a.since)).toBe(Date.parse(RECORD[a.region]!));
    }
    expect(stateAt(0).counters.regionsUnderAlert).toBe(5);
    expect(of('alert.start').filter((e) => e.atMs < 60_000)).toEqual([]);
  });

  it('raises the alerts the record dates after 17:00 at exactly the recorded second, with the record as source', () => {
    for (const [code, since] of Object.entries(RECORD)) {
      if (Date.parse(since) < night.startMs) continue;
      const start = of('alert.start').find((e) => e.region === code && night.startMs + e.atMs === Date.parse(since));
      expect(start, `${code} at ${since}`).toBeDefined();
      expect(start!.source, code).toBe('official-alerts-snapshot');
    }
  });

  it('starts in the east, north and south; the west comes after the first MiG-31K take-off', () => {
    const first = new Map<string, number>();
    for (const e of of('alert.start')) if (!first.has(e.region)) first.set(e.region, e.atMs);
    const firstMig = of('carrier.takeoff')[0]!.atMs;
    for (const west of WEST) expect(first.get(west), west).toBeGreaterThan(firstMig);
    for (const code of [...first.keys()].slice(0, 8)) expect(WEST).not.toContain(code);
  });

  it('lifts the morning\'s modelled alerts region by region, never many at one minute', () => {
    const byMinute = new Map<string, string[]>();
    for (const e of of('alert.end')) {
      const minute = kyiv(e).slice(0, 16);
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), e.region]);
    }
    for (const [minute, regions] of byMinute) expect(regions.length, `${minute}: ${regions.join(' ')}`).toBeLessThanOrEqual(4);
    const morning = of('alert.end').filter((e) => kyiv(e) > '2025-12-06T07:00');
    expect(morning.length).toBeGreaterThanOrEqual(20);
    expect(new Set(morning.map((e) => kyiv(e).slice(0, 16))).size).toBeGreaterThanOrEqual(12);
    for (const e of of('alert.end')) expect(e.reconstructed, e.id).toBe(true);
  });

  it('keeps the reported alert times: Kyiv oblast about 19:30, Kyiv city 00:29:58, Lviv 02:24:16, Volyn again at 06:27', () => {
    const start = (code: string, iso: string) => of('alert.start').find((e) => e.region === code && kyiv(e) === iso);
    expect(start('UA-32', '2025-12-05T19:30:00+02:00')?.source).toBe('24tv-dec5');
    expect(start('UA-30', '2025-12-06T00:29:58+02:00')?.source).toBe('official-alerts-snapshot');
    expect(start('UA-46', '2025-12-06T02:24:16+02:00')?.source).toBe('official-alerts-snapshot');
    expect(start('UA-68', '2025-12-06T02:24:17+02:00')?.source).toBe('official-alerts-snapshot');
    expect(start('UA-07', '2025-12-06T06:27:00+02:00')?.source).toBe('tsn-lutsk');
    // Kyiv city's alert is not lifted soon after it begins: it is still on at the record's moment.
    expect(of('alert.end').some((e) => e.region === 'UA-30' && e.atMs < atKyiv(RECORD_AT))).toBe(false);
    // "Sirens sounded again": Volyn was under an earlier alert that night, lifted before 06:27.
    expect(of('alert.end').some((e) => e.region === 'UA-07' && kyiv(e) < '2025-12-06T06:27')).toBe(true);
  });

  it('has two MiG-31K take-offs, each raising an alert in every region the system covers', () => {
    const takeoffs = of('carrier.takeoff').filter((e) => e.aircraft === 'MiG-31K');
    expect(takeoffs).toHaveLength(2);
    expect(kyiv(takeoffs[0]!) < '2025-12-06T02:24').toBe(true);
    expect(kyiv(takeoffs[1]!) < '2025-12-06T05:25').toBe(true);
    for (const t of takeoffs) {
      expect(t).toMatchObject({ source: 'focus-mig', reconstructed: true });
      const state = stateAt(t.atMs + 12 * 60_000);
      const covered = Object.values(state.regions).filter((r) => r.country === 'UA' && !['UA-43', 'UA-40'].includes(r.code));
      expect(covered).toHaveLength(25);
      for (const r of covered) expect(r.alert, `${r.code} after the take-off at ${kyiv(t)}`).not.toBeNull();
    }
    // The second is still airborne when Ukrzaliznytsia's message on Fastiv comes out, about 05:25.
    const landed = of('carrier.landed').map((e) => e.atMs).sort((a, b) => a - b);
    const uz = of('statement').find((e) => e.source === 'rbc-uz')!;
    expect(kyiv(uz).slice(11, 16)).toBe('05:25');
    expect(uz.atMs).toBeGreaterThan(takeoffs[1]!.atMs);
    expect(uz.atMs).toBeLessThan(landed[1]!);
  });

  it('covers the whole country, Lviv oblast included, at about 05:20 Kyiv time', () => {
    const at0520 = stateAt(atKyiv('2025-12-06T05:20:00+02:00'));
    expect(at0520.counters.regionsUnderAlert).toBe(25);
    expect(at0520.regions['UA-46']!.alert).not.toBeNull();
  });
});

describe('the seed night: times the sources give', () => {
  const find = (pred: (e: ScenarioEvent) => boolean) => events.find(pred)!;
  const minute = (e: ScenarioEvent) => kyiv(e).slice(0, 16);

  it('has them as given, within the minute the source gives', () => {
    expect(minute(find((e) => e.type === 'impact' && e.place.en.startsWith('Chernihiv: an explosion')))).toBe('2025-12-06T00:17');
    expect(minute(find((e) => e.type === 'statement' && e.text.en.includes('Tu-95MS')))).toBe('2025-12-06T05:27');
    expect(minute(find((e) => e.type === 'launch' && e.threat === 'cruise_missile' && e.model === 'Kh-101'))).toBe('2025-12-06T05:27');
    expect(minute(find((e) => e.type === 'statement' && e.source === '24tv-dec5'))).toBe('2025-12-05T19:47');
  });

  it('puts the Kharkiv hit at 18:00 on 5 December, a "Molniya" drone as the mayor said, with no casualties', () => {
    const kharkiv = find((e) => e.type === 'impact' && e.region === 'UA-63' && e.source === 'rbc-kharkiv') as EventOf<'impact'>;
    expect(minute(kharkiv)).toBe('2025-12-05T18:00');
    expect(kharkiv.text.en).toMatch(/Molniya/);
    expect(kharkiv.injured ?? 0).toBe(0);
    expect(kharkiv.reconstructed).toBe(false);
  });

  it('has the three injured in Dnipro district hurt in the morning missile attack, not by drones at night', () => {
    const dnipro = find((e) => e.type === 'impact' && e.region === 'UA-12' && (e.injured ?? 0) > 0) as EventOf<'impact'>;
    expect(dnipro.injured).toBe(3);
    expect(dnipro.threat).toBe('ballistic_missile');
    expect(kyiv(dnipro) > '2025-12-06T06:00').toBe(true);
  });

  it('has Novi Petrivtsi hit in the night to 6 December, after Vyshhorod district\'s alert began at 00:36', () => {
    const petrivtsi = find((e) => e.type === 'impact' && e.place.en.startsWith('Novi Petrivtsi')) as EventOf<'impact'>;
    expect(kyiv(petrivtsi) > '2025-12-06T00:36').toBe(true);
    expect(kyiv(petrivtsi) < '2025-12-06T06:00').toBe(true);
    expect(petrivtsi.injured).toBe(2);
  });

  it('has Ryazan\'s explosions from 22:45 Kyiv time, and nothing in Ryazan before', () => {
    const ryazan = of('impact').filter((e) => e.place.en.startsWith('Ryazan'));
    const first = ryazan.reduce((a, b) => (a.atMs <= b.atMs ? a : b));
    expect(minute(first)).toBe('2025-12-05T22:45');
    expect(first.source).toBe('24tv-ryazan');
  });

  it('has Lutsk as reported: the 06:19 warning, sirens again about 06:27, explosions about 07:20', () => {
    const warning = find((e) => e.type === 'statement' && e.source === 'rbc-lutsk');
    expect(minute(warning)).toBe('2025-12-06T06:19');
    expect(warning.text.en).toMatch(/Rivne/);
    expect(minute(find((e) => e.type === 'impact' && e.place.en.startsWith('Lutsk: food warehouses')))).toBe('2025-12-06T07:20');
    // The group the warning speaks of is over Rivne oblast then.
    const volynTrack = of('threat.move').filter((m) => m.trackId === 'd7-kursk-volyn' && m.count > 0);
    const near = volynTrack.reduce((a, b) => (Math.abs(a.atMs - warning.atMs) <= Math.abs(b.atMs - warning.atMs) ? a : b));
    expect(regionAt(near.position)).toBe('UA-56');
  });

  it('has one missile shot down near Dnipro on Telegraf\'s word, not four', () => {
    const byTelegraf = of('intercept').filter((e) => e.source === 'telegraf-dnipro');
    expect(byTelegraf.map((e) => e.count)).toEqual([1]);
    expect(byTelegraf[0]!.region).toBe('UA-12');
  });

  it('has the Odesa invincibility points announced by the governor, not by the ministry', () => {
    const points = of('statement').filter((e) => /invincibility/.test(e.text.en));
    expect(points.map((e) => [e.org, e.source])).toEqual([['Odesa regional military administration (governor Oleh Kiper)', 'ifx-odesa']]);
  });
});

describe('the seed night: Poland', () => {
  it('posts the Operational Command\'s first communiqué a little under a quarter of an hour after 04:00 Warsaw time', () => {
    const communique = of('statement').find((e) => e.source === 'polsat-dorsz')!;
    expect(formatIsoInZone(night.startMs + communique.atMs, 'Europe/Warsaw').slice(11, 16)).toMatch(/^04:1[0-4]$/);
    expect(communique.basis).toEqual(['rmf24-dorsz']);
  });

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
  it('has 88 sources, each listing what it backs; every event names one that backs its type, or is reconstructed', () => {
    expect(night.sources).toHaveLength(88);
    const byId = new Map(night.sources.map((s) => [s.id, s]));
    for (const s of night.sources) expect(s.backs, s.id).toBeDefined();
    for (const e of events) {
      if (e.source !== undefined) expect(byId.get(e.source)?.backs, `${e.id}: ${e.source}`).toContain(e.type);
      for (const b of e.basis ?? []) expect(byId.has(b), `${e.id}: ${b}`).toBe(true);
      expect(e.source !== undefined || e.reconstructed === true, e.id).toBe(true);
    }
  });

  it('gives no compiled launch, move or placeholder hit a source: the reports behind the model are its basis', () => {
    for (const e of of('threat.move')) expect(e.source, e.id).toBeUndefined();
    for (const e of of('launch')) if (e.source) expect(e.source, e.id).toBe('atlas'); // the one launch a source reports as such
    const placeholders = of('impact').filter((e) => e.place.en.startsWith('a further location'));
    expect(placeholders).toHaveLength(7);
    for (const e of placeholders) {
      expect(e.source, e.id).toBeUndefined();
      expect(e.reconstructed, e.id).toBe(true);
    }
  });

  it('marks modelled events with a note on how they were derived', () => {
    for (const e of events.filter((x) => x.reconstructed)) expect(e.note, e.id).toBeTruthy();
  });

  it('puts every hit on a tracked route within a few kilometres of its group at that moment', () => {
    for (const hit of of('impact').filter((e) => e.trackId)) {
      const track = of('threat.move').filter((m) => m.trackId === hit.trackId);
      const before = track.filter((m) => m.atMs <= hit.atMs).at(-1)!;
      const after = track.find((m) => m.atMs >= hit.atMs)!;
      const f = after.atMs === before.atMs ? 0 : (hit.atMs - before.atMs) / (after.atMs - before.atMs);
      const at: LonLat = [before.position[0] + f * (after.position[0] - before.position[0]), before.position[1] + f * (after.position[1] - before.position[1])];
      expect(geoDistance(at as [number, number], hit.position! as [number, number]) * 6371, `${hit.id} (${hit.place.en})`).toBeLessThan(5);
      if (hit.region) expect(regionAt(hit.position!), hit.id).toBe(hit.region);
    }
  });

  it('writes every text people read in Ukrainian, English and Polish, with no English or internal ids inside', () => {
    const trackIds = new Set(of('threat.move').map((m) => m.trackId));
    const texts = (e: ScenarioEvent) => {
      const list: Array<[string, LocalizedText]> = [['text', e.text]];
      if (e.note) list.push(['note', e.note]);
      if (e.type === 'impact') list.push(['place', e.place]);
      if (e.type === 'launch') list.push(['from.name', e.from.name]);
      return list;
    };
    for (const e of events) {
      for (const [field, t] of texts(e)) {
        const where = `${e.id} ${field}`;
        expect(t.uk, where).toBeTruthy();
        expect(t.pl, where).toBeTruthy();
        const latin = (t.uk!.match(/[A-Za-z]+/g) ?? []).filter((w) => !LATIN_ALLOWED_IN_UK.has(w));
        expect(latin, `${where}: ${t.uk}`).toEqual([]);
        const english = (t.pl!.toLowerCase().match(/[a-ząćęłńóśźż']+/g) ?? []).filter((w) => ENGLISH_WORDS.has(w));
        expect(english, `${where}: ${t.pl}`).toEqual([]);
        for (const lang of ['en', 'uk', 'pl'] as const) for (const id of trackIds) expect(t[lang], where).not.toContain(id);
      }
    }
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
    const ryazan = of('impact').filter((e) => e.place.en.startsWith('Ryazan'));
    expect(ryazan.map((e) => e.source).sort()).toEqual(['24tv-ryazan', 'rferl-genshtab', 'tass-ryazan', 'tass-ryazan']);
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
