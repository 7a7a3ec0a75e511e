import { describe, expect, it } from 'vitest';
import { foldEvents, reduce } from '../../../server/domain/reduce.ts';
import { initialState } from '../../../server/domain/state.ts';
import { scenarioOf } from '../../helpers/scenario.ts';

const night = scenarioOf([
  { atMs: 0, type: 'launch', threat: 'drone', count: 50, from: { name: 'Kursk', position: [36.2, 51.7] } },
  { atMs: 0, type: 'alert.start', region: 'UA-46', threats: ['drone'] },
  { atMs: 1, type: 'threat.move', trackId: 't', threat: 'drone', count: 10, position: [30, 50], towards: 'UA-30' },
  { atMs: 2, type: 'intercept', threat: 'drone', count: 4, trackId: 't', region: 'UA-32' },
  { atMs: 3, type: 'impact', region: 'UA-46', place: 'substation', target: 'energy', trackId: 't', injured: 2 },
  { atMs: 4, type: 'siren.start', region: 'PL-06', erroneous: true },
  { atMs: 5, type: 'jets.scrambled', country: 'PL' },
  { atMs: 6, type: 'airspace.close', country: 'PL', airports: ['EPRZ', 'EPLB'] },
  { atMs: 7, type: 'outage', region: 'UA-46' },
  { atMs: 8, type: 'carrier.takeoff', aircraft: 'MiG-31K', count: 2 },
]);

describe('reduce', () => {
  const state = foldEvents(initialState(), night.events);

  it('starts calm: no alerts, no counts, every region present', () => {
    const s = initialState();
    expect(Object.keys(s.regions)).toHaveLength(43);
    expect(Object.values(s.regions).every((r) => r.alert === null && !r.siren)).toBe(true);
    expect(s.counters.regionsUnderAlert).toBe(0);
  });

  it('opens alerts, counts launches, shoot-downs, hits and injured', () => {
    expect(state.regions['UA-46']!.alert).toEqual({ sinceMs: 0, threats: ['drone'] });
    expect(state.counters).toMatchObject({ regionsUnderAlert: 1, impacts: 1, injured: 2, killed: 0 });
    expect(state.counters.launched.drone).toBe(50);
    expect(state.counters.intercepted.drone).toBe(4);
    expect(state.regions['UA-46']!.impacts).toBe(1);
    expect(state.regions['UA-46']!.outage).toBe(true);
  });

  it('tracks groups and spends them on shoot-downs and hits', () => {
    expect(state.tracks['t']).toMatchObject({ count: 5, towards: 'UA-30', position: [30, 50] });
    const gone = reduce(state, { ...night.events[2]!, type: 'threat.move', count: 0 } as never);
    expect(gone.tracks['t']).toBeUndefined();
  });

  it('marks erroneous sirens, scrambled jets, closed airports and carriers airborne', () => {
    expect(state.regions['PL-06']).toMatchObject({ siren: true, sirenErroneous: true });
    expect(state.jetsScrambled.PL).toBe(true);
    expect(state.closedAirports.PL).toEqual(['EPRZ', 'EPLB']);
    expect(state.carriersAirborne).toEqual({ 'MiG-31K': 2 });
  });

  it('widens an open alert\'s threats without moving its start, and ends it once', () => {
    const widened = reduce(state, { ...night.events[1]!, atMs: 9, threats: ['cruise_missile'] } as never);
    expect(widened.regions['UA-46']!.alert).toEqual({ sinceMs: 0, threats: ['drone', 'cruise_missile'] });
    expect(widened.counters.regionsUnderAlert).toBe(1);
    const ended = reduce(widened, { ...night.events[1]!, type: 'alert.end' } as never);
    expect(ended.regions['UA-46']!.alert).toBeNull();
    expect(ended.counters.regionsUnderAlert).toBe(0);
    expect(reduce(ended, { ...night.events[1]!, type: 'alert.end' } as never)).toBe(ended);
  });

  it('never changes the state it is given', () => {
    const before = JSON.stringify(initialState());
    const s = initialState();
    foldEvents(s, night.events);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('counts hits and debris in Ukraine and Poland apart, and strikes abroad not at all', () => {
    const abroad = scenarioOf([
      { atMs: 0, type: 'impact', region: 'UA-46', place: 'a', target: 'energy' },
      { atMs: 1, type: 'impact', region: 'UA-46', place: 'b', target: 'residential', debris: true, injured: 2 },
      { atMs: 2, type: 'impact', position: [39.7, 54.6], place: 'Ryazan', target: 'industrial' },
    ]);
    const s = foldEvents(initialState(), abroad.events);
    expect(s.counters).toMatchObject({ impacts: 1, debris: 1, injured: 2 });
    expect(s.regions['UA-46']!.impacts).toBe(2);
  });
});
