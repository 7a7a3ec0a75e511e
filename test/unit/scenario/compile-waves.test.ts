/** The wave compiler on small hand-made waves. */
import { describe, expect, it } from 'vitest';
import { geoDistance, geoInterpolate } from 'd3-geo';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import { regionAt } from '../../../server/domain/regions/geometry.ts';
import { regionByCode, type LonLat } from '../../../server/domain/regions/index.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';
import { header } from '../../helpers/scenario.ts';
import { formatOffset } from '../../../server/domain/time.ts';

const KHARKIV_EAST: LonLat = [38.6, 50.1]; // just inside Russia, east of Kharkiv oblast
const MINUTE = 60_000;

function wave(extra: Record<string, unknown> = {}) {
  return {
    id: 'w',
    threat: 'drone',
    count: 20,
    launch: { at: '00:00', from: { name: 'test site', position: KHARKIV_EAST } },
    route: ['UA-46'],
    speedKmh: 180,
    ...extra,
  };
}

function compile(body: Record<string, unknown>) {
  const result = loadScenarioObject({ ...header(), ...body });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 1));
  return result.scenario.events;
}

function problems(body: Record<string, unknown>) {
  const result = loadScenarioObject({ ...header(), ...body });
  if (result.ok) throw new Error('accepted');
  return result.problems;
}

const of = <T extends ScenarioEvent['type']>(events: ScenarioEvent[], type: T) =>
  events.filter((e): e is Extract<ScenarioEvent, { type: T }> => e.type === type);

/** Regions under a straight path, found by fine sampling: the oracle the compiler must match. */
function regionsUnder(points: LonLat[]): string[] {
  const seen: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const along = geoInterpolate(points[i - 1] as [number, number], points[i] as [number, number]);
    const km = geoDistance(points[i - 1] as [number, number], points[i] as [number, number]) * 6371;
    for (let k = 0; k <= km * 4; k++) {
      const code = regionAt(along(k / (km * 4)) as LonLat);
      if (code && !seen.includes(code)) seen.push(code);
    }
  }
  return seen;
}

describe('wave compiler', () => {
  const events = compile({ waves: [wave()] });
  const starts = of(events, 'alert.start');

  it('alerts the oblasts a route from Kharkiv to Lviv crosses, in the order it crosses them, and no others', () => {
    const crossed = regionsUnder([KHARKIV_EAST, regionByCode('UA-46')!.centroid]);
    expect(starts.map((e) => e.region)).toEqual(crossed);
    expect(crossed[0]).toBe('UA-63');
    expect(crossed.at(-1)).toBe('UA-46');
    for (const far of ['UA-51', 'UA-74', 'UA-21', 'UA-77', 'UA-07', 'PL-06']) expect(crossed).not.toContain(far);
    // Each region entered borders one the route has already crossed.
    crossed.slice(1).forEach((code, i) => expect(crossed.slice(0, i + 1).some((prev) => regionByCode(code)!.neighbours.includes(prev)), code).toBe(true));
  });

  it('closes every alert it opens, after the threat has passed', () => {
    const ends = of(events, 'alert.end');
    expect(ends.map((e) => e.region).sort()).toEqual(starts.map((e) => e.region).sort());
    for (const s of starts) expect(ends.find((e) => e.region === s.region)!.atMs).toBeGreaterThan(s.atMs);
  });

  it('marks everything it produces as reconstructed, with a note in three languages that names no wave', () => {
    const named = compile({ waves: [wave({ id: 'kharkiv-to-lviv' })] });
    for (const e of named) {
      expect(e.reconstructed, e.id).toBe(true);
      expect(Object.keys(e.note ?? {}).sort(), e.id).toEqual(['en', 'pl', 'uk']);
      for (const text of Object.values(e.note!)) expect(text, e.id).not.toContain('kharkiv-to-lviv');
    }
  });

  it('starts an alert a lead time ahead that depends on the threat kind, and ends it a margin after', () => {
    const cruise = compile({ waves: [wave({ threat: 'cruise_missile' })] });
    const longer = compile({ waves: [wave()], alerting: { leadMinutes: { drone: 45 }, clearMinutes: 25 } });
    const startIn = (list: ScenarioEvent[], region: string) => of(list, 'alert.start').find((e) => e.region === region)!.atMs;
    const endIn = (list: ScenarioEvent[], region: string) => of(list, 'alert.end').find((e) => e.region === region)!.atMs;
    // Same route and speed: the threat enters Poltava oblast at the same moment in all three.
    expect(startIn(cruise, 'UA-53') - startIn(events, 'UA-53')).toBe(15 * MINUTE); // 30 min for drones, 15 for cruise missiles
    expect(startIn(events, 'UA-53') - startIn(longer, 'UA-53')).toBe(15 * MINUTE);
    expect(endIn(longer, 'UA-53') - endIn(events, 'UA-53')).toBe(10 * MINUTE);
    // The launch region's alert cannot start before the scenario does.
    expect(startIn(events, 'UA-63')).toBeGreaterThanOrEqual(0);
  });

  it('merges overlapping alerts in a region into one, with the threats of both', () => {
    const two = compile({ waves: [wave(), wave({ id: 'v', threat: 'cruise_missile', speedKmh: 700, launch: { at: '01:00', from: { name: 's', position: KHARKIV_EAST } } })] });
    const inPoltava = of(two, 'alert.start').filter((e) => e.region === 'UA-53');
    expect(inPoltava).toHaveLength(1);
    expect(inPoltava[0]!.threats).toEqual(['drone', 'cruise_missile']);
    expect(of(two, 'alert.end').filter((e) => e.region === 'UA-53')).toHaveLength(1);
  });

  it('keeps alerts apart when the second threat comes long after the first has gone', () => {
    const apart = compile({ waves: [wave(), wave({ id: 'v', launch: { at: '20:00', from: { name: 's', position: KHARKIV_EAST } } })] });
    expect(of(apart, 'alert.start').filter((e) => e.region === 'UA-53')).toHaveLength(2);
  });

  it('tracks the group: a position at most every few minutes, counts lowered by shoot-downs, then the end', () => {
    const shot = compile({ waves: [wave({ intercepts: [{ region: 'UA-53', count: 5 }, { region: 'UA-71', count: 3 }] })] });
    const moves = of(shot, 'threat.move');
    for (let i = 1; i < moves.length - 1; i++) expect(moves[i]!.atMs - moves[i - 1]!.atMs).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(moves[0]!.count).toBe(20);
    expect(moves.at(-1)!.count).toBe(0);
    expect(moves.at(-2)!.count).toBe(12);
    expect(moves.every((m) => m.trackId === 'w')).toBe(true);
    const intercepts = of(shot, 'intercept');
    expect(intercepts.map((e) => [e.region, e.count])).toEqual([['UA-53', 5], ['UA-71', 3]]);
    // A shoot-down happens while the wave is over the region it names.
    const poltava = [of(shot, 'alert.start').find((e) => e.region === 'UA-53')!.atMs, of(shot, 'alert.end').find((e) => e.region === 'UA-53')!.atMs];
    expect(intercepts[0]!.atMs).toBeGreaterThan(poltava[0]!);
    expect(intercepts[0]!.atMs).toBeLessThan(poltava[1]!);
  });

  it('places impacts in their region, at the end of the route in the last one', () => {
    const hit = compile({ waves: [wave({ impacts: [{ region: 'UA-46', place: 'substation', target: 'energy', injured: 2 }] })] });
    const [impact] = of(hit, 'impact');
    expect(impact).toMatchObject({ region: 'UA-46', target: 'energy', injured: 2, threat: 'drone' });
    expect(regionAt(impact!.position!)).toBe('UA-46');
    expect(impact!.atMs).toBe(of(hit, 'threat.move').at(-1)!.atMs);
  });

  it('refuses shoot-downs or hits in regions the route does not cross, and counts that do not add up', () => {
    const found = problems({ waves: [wave({ count: 3, intercepts: [{ region: 'UA-51', count: 2 }, { region: 'UA-53', count: 2 }] })] });
    expect(found.map((p) => p.path)).toEqual(['waves[0].intercepts[0].region']);
    expect(found[0]!.message).toMatch(/does not cross Odesa/);
    const over = problems({ waves: [wave({ count: 3, intercepts: [{ region: 'UA-53', count: 2 }, { region: 'UA-71', count: 2 }] })] });
    expect(over.map((p) => p.path)).toEqual(['waves[0].count']);
  });

  it('raises alerts across the country while a carrier is airborne (not in occupied Crimea and Sevastopol)', () => {
    const carriers = compile({ carriers: [{ aircraft: 'MiG-31K', count: 1, takeoffAt: '01:00', landedAt: '02:00' }] });
    const alerted = of(carriers, 'alert.start').map((e) => e.region);
    expect(alerted).toHaveLength(25);
    expect(alerted).not.toContain('UA-43');
    expect(alerted).not.toContain('UA-40');
    expect(alerted.every((r) => r.startsWith('UA-'))).toBe(true);
    // Declared region by region within the minute after take-off, as the official channel does.
    expect(of(carriers, 'alert.start').every((e) => e.atMs >= 60 * MINUTE && e.atMs <= 61 * MINUTE && e.threats[0] === 'aircraft')).toBe(true);
    expect(new Set(of(carriers, 'alert.start').map((e) => e.atMs)).size).toBeGreaterThan(10);
    expect(of(carriers, 'carrier.takeoff')).toHaveLength(1);
    expect(of(carriers, 'carrier.landed')[0]!.atMs).toBe(120 * MINUTE);
  });

  it('scrambles Polish jets as threats near the border and stands them down after', () => {
    const west = compile({ waves: [wave()], poland: { leadMinutes: 20, standDownMinutes: 40 } });
    const scrambled = of(west, 'jets.scrambled');
    const stoodDown = of(west, 'jets.stood_down');
    expect(scrambled).toHaveLength(1);
    expect(scrambled[0]!.country).toBe('PL');
    const lvivStart = of(west, 'alert.start').find((e) => e.region === 'UA-46')!.atMs + 30 * MINUTE; // the drone enters Lviv oblast
    expect(scrambled[0]!.atMs).toBe(lvivStart - 20 * MINUTE);
    expect(stoodDown[0]!.atMs).toBe(of(west, 'threat.move').at(-1)!.atMs + 40 * MINUTE);
    // Threats that stay in the east do not scramble anyone.
    expect(of(compile({ waves: [wave({ route: ['UA-53'] })] }), 'jets.scrambled')).toHaveLength(0);
    // Reported scramble times replace the modelled ones.
    const reported = compile({ waves: [wave()], events: [{ at: '03:00', type: 'jets.scrambled', country: 'PL' }, { at: '09:00', type: 'jets.stood_down', country: 'PL' }] });
    expect(of(reported, 'jets.scrambled').map((e) => e.atMs)).toEqual([180 * MINUTE]);
  });

  it('lets a reported alert time anchor the compiled alert it falls in', () => {
    const compiledStart = starts.find((e) => e.region === 'UA-53')!.atMs;
    const anchored = compile({
      sources: [{ id: 'r', title: 'report', publisher: 'p', url: 'https://example.org', date: '2025-12-06' }],
      waves: [wave()],
      events: [{ at: formatOffset(compiledStart + 10 * MINUTE), type: 'alert.start', region: 'UA-53', threats: ['drone'], source: 'r' }],
    });
    const inPoltava = of(anchored, 'alert.start').filter((e) => e.region === 'UA-53');
    expect(inPoltava).toHaveLength(1);
    expect(inPoltava[0]!.source).toBe('r');
    expect(inPoltava[0]!.atMs).toBe(Math.floor((compiledStart + 10 * MINUTE) / 1000) * 1000);
    expect(inPoltava[0]!.reconstructed).toBeUndefined();
    expect(of(anchored, 'alert.end').filter((e) => e.region === 'UA-53')).toHaveLength(1);
  });

  it('times a hit at a reported place when the group passes nearest to it, and shows the group there', () => {
    // A point on the route in Poltava oblast, 1 km off it.
    const onRoute = geoInterpolate(KHARKIV_EAST as [number, number], regionByCode('UA-46')!.centroid as [number, number])(0.3) as LonLat;
    const place: LonLat = [onRoute[0], onRoute[1] + 0.009];
    const region = regionAt(onRoute)!;
    const hit = compile({ waves: [wave({ impacts: [{ region, place: 'depot', target: 'rail', position: place }] })] });
    const [impact] = of(hit, 'impact');
    expect(impact!.position).toEqual(place);
    const move = of(hit, 'threat.move').find((m) => m.atMs === impact!.atMs);
    expect(move, 'a position at the moment of the hit').toBeDefined();
    expect(geoDistance(move!.position as [number, number], place as [number, number]) * 6371).toBeLessThan(1.5);
  });

  it('refuses a reported place far from the route, or a reported time when the group is elsewhere', () => {
    const far = problems({ waves: [wave({ impacts: [{ region: 'UA-46', place: 'Lviv', target: 'energy', position: [23.2, 49.6] }] })] });
    expect(far.map((p) => p.path)).toEqual(['waves[0].impacts[0].position']);
    expect(far[0]!.message).toMatch(/passes \d+ km from this place.*waypoint/);
    const late = problems({
      waves: [wave({ impacts: [{ region: 'UA-46', place: 'Lviv', target: 'energy', position: regionByCode('UA-46')!.centroid, at: '03:00' }] })],
    });
    expect(late.map((p) => p.path)).toEqual(['waves[0].impacts[0].at']);
    expect(late[0]!.message).toMatch(/km from this place at 03:00; it passes nearest/);
  });

  it('gives compiled events a source only where the item is reported; the wave\'s source is their basis', () => {
    const sources = [
      { id: 'model', title: 'vectors', publisher: 'p', url: 'https://example.org/a', date: '2025-12-06' },
      { id: 'count', title: 'tally', publisher: 'p', url: 'https://example.org/b', date: '2025-12-06', backs: ['intercept'] },
    ];
    const sourced = compile({ sources, waves: [wave({ source: 'model', intercepts: [{ region: 'UA-53', count: 5, source: 'count' }, { region: 'UA-71', count: 3 }] })] });
    for (const e of sourced) {
      expect(e.source === undefined || (e.type === 'intercept' && e.source === 'count'), e.id).toBe(true);
      if (e.source === undefined && !e.type.startsWith('jets.')) expect(e.basis, e.id).toEqual(['model']);
    }
    expect(of(sourced, 'intercept').map((e) => e.source)).toEqual(['count', undefined]);
    // A source that backs only intercepts cannot be named as an impact's source.
    const wrong = problems({ sources, waves: [wave({ impacts: [{ region: 'UA-46', place: 'x', target: 'other', source: 'count' }] })] });
    expect(wrong.map((p) => p.message)).toEqual([expect.stringMatching(/"count" backs only intercept, not a impact/)]);
  });

  it('is deterministic', () => {
    const body = { waves: [wave({ intercepts: [{ region: 'UA-53', count: 5 }] }), wave({ id: 'v', route: [[33, 47], 'UA-51'] })], carriers: [{ aircraft: 'MiG-31K', takeoffAt: '03:00', landedAt: '04:00' }] };
    expect(compile(body)).toEqual(compile(body));
  });
});
