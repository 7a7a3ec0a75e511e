/**
 * Alerts from sources and from the model together: the situation at the start, official records
 * of the alert map, reported starts, and modelled all-clears spread region by region.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import { foldEvents } from '../../../server/domain/reduce.ts';
import type { LonLat } from '../../../server/domain/regions/index.ts';
import type { Scenario } from '../../../server/domain/scenario.ts';
import { initialState } from '../../../server/domain/state.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';
import { header, TEST_START } from '../../helpers/scenario.ts';

const MINUTE = 60_000;
const START_MS = Date.parse(TEST_START);
const KHARKIV_EAST: LonLat = [38.6, 50.1];
const iso = (offsetMinutes: number) => new Date(START_MS + offsetMinutes * MINUTE).toISOString().replace('Z', '+00:00');
const record = { id: 'rec', title: 'alert record', publisher: 'p', url: 'https://example.org/rec', date: '2025-12-06', backs: ['alert.start', 'alert.end'] };

function load(body: Record<string, unknown>): Scenario {
  const result = loadScenarioObject({ ...header(), sources: [record], ...body });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 1));
  return result.scenario;
}

function problems(body: Record<string, unknown>) {
  const result = loadScenarioObject({ ...header(), sources: [record], ...body });
  if (result.ok) throw new Error('accepted');
  return result.problems;
}

const of = <T extends ScenarioEvent['type']>(events: readonly ScenarioEvent[], type: T) =>
  events.filter((e): e is Extract<ScenarioEvent, { type: T }> => e.type === type);
const stateAt = (s: Scenario, ms: number) => foldEvents(initialState(s.initial.alerts), s.events.filter((e) => e.atMs <= ms));

function drone(extra: Record<string, unknown> = {}) {
  return { id: 'w', threat: 'drone', count: 20, launch: { at: '00:00', from: { name: 'site', position: KHARKIV_EAST } }, route: ['UA-46'], speedKmh: 180, ...extra };
}

describe('alerts on when the night begins', () => {
  const opening = { region: 'UA-09', since: '2022-04-04T19:45:39+03:00', threats: ['unspecified'], source: 'rec' };

  it('are on at position 0 with their real start, without an invented alert.start', () => {
    const s = load({ initial: { alerts: [opening] }, duration: '01:00:00', events: [{ at: '00:30', type: 'statement', org: 'x', text: { en: 'x' } }] });
    expect(s.initial.alerts).toEqual([expect.objectContaining({ region: 'UA-09', since: '2022-04-04T19:45:39+03:00', threats: ['unspecified'] })]);
    expect(s.initial.alerts[0]!.sinceMs).toBe(Date.parse('2022-04-04T19:45:39+03:00') - START_MS);
    const atStart = stateAt(s, 0);
    expect(atStart.regions['UA-09']!.alert).toEqual({ sinceMs: s.initial.alerts[0]!.sinceMs, threats: ['unspecified'] });
    expect(atStart.counters.regionsUnderAlert).toBe(1);
    expect(of(s.events, 'alert.start')).toEqual([]);
  });

  it('may be lifted by a reported end, and refuse a start after the scenario\'s', () => {
    const s = load({ initial: { alerts: [opening] }, events: [{ at: '00:40', type: 'alert.end', region: 'UA-09', source: 'rec' }] });
    expect(stateAt(s, 39 * MINUTE).regions['UA-09']!.alert).not.toBeNull();
    expect(stateAt(s, 40 * MINUTE).regions['UA-09']!.alert).toBeNull();
    const late = problems({ initial: { alerts: [{ ...opening, since: iso(5) }] } });
    expect(late.map((p) => p.path)).toEqual(['initial.alerts[0].since']);
    expect(late[0]!.message).toMatch(/after the scenario's start: write it as an alert.start event/);
  });
});

describe('an official record of the alert map', () => {
  it('keeps each region it lists under one alert from its `since`, ahead of the model\'s lead time', () => {
    // The drone reaches Poltava oblast about 1:10 after launch; the record has it under alert from 0:20.
    const s = load({
      waves: [drone()],
      alertRecords: [{ at: iso(90), source: 'rec', alerts: [{ region: 'UA-53', since: iso(20) }] }],
    });
    const starts = of(s.events, 'alert.start').filter((e) => e.region === 'UA-53');
    expect(starts).toHaveLength(1);
    // The record gives no reason, and no modelled threat is within half an hour of its start.
    expect(starts[0]).toMatchObject({ atMs: 20 * MINUTE, source: 'rec', threats: ['unspecified'] });
    expect(starts[0]!.reconstructed).toBeUndefined();
    const end = of(s.events, 'alert.end').find((e) => e.region === 'UA-53')!;
    expect(end.atMs).toBeGreaterThan(90 * MINUTE);
  });

  it('drops modelled lead time before a recorded start, instead of inventing an earlier alert', () => {
    const compiled = load({ waves: [drone()] });
    const modelled = of(compiled.events, 'alert.start').find((e) => e.region === 'UA-53')!.atMs;
    const since = modelled + 15 * MINUTE;
    const s = load({ waves: [drone()], alertRecords: [{ at: iso(since / MINUTE + 30), source: 'rec', alerts: [{ region: 'UA-53', since: iso(since / MINUTE) }] }] });
    const starts = of(s.events, 'alert.start').filter((e) => e.region === 'UA-53');
    expect(starts.map((e) => e.atMs)).toEqual([since]);
    expect(starts[0]!.threats).toEqual(['drone']); // the drone it was modelled for is already near
  });

  it('makes the regions a complete record leaves out calm at its moment: a nationwide alert starts just after it', () => {
    const s = load({
      carriers: [{ aircraft: 'MiG-31K', takeoffAt: '01:00', landedAt: '02:00' }],
      alertRecords: [{ at: iso(62), source: 'rec', complete: true, alerts: [{ region: 'UA-46', since: iso(61) }] }],
    });
    const at = stateAt(s, 62 * MINUTE);
    expect(Object.values(at.regions).filter((r) => r.alert).map((r) => r.code)).toEqual(['UA-46']);
    const later = stateAt(s, 66 * MINUTE);
    expect(later.counters.regionsUnderAlert).toBe(25);
    const lviv = of(s.events, 'alert.start').find((e) => e.region === 'UA-46')!;
    expect(lviv).toMatchObject({ atMs: 61 * MINUTE, source: 'rec' });
  });

  it('says which region the model keeps under alert across a record that has it calm', () => {
    const found = problems({ waves: [drone()], alertRecords: [{ at: iso(120), source: 'rec', complete: true, alerts: [] }] });
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.path).toBe('alertRecords[0]');
    expect(found[0]!.message).toMatch(/spans this record, which has the region calm; change the waves over it/);
  });

  it('refuses a reported start inside an alert the record already has on', () => {
    const found = problems({
      alertRecords: [{ at: iso(60), source: 'rec', alerts: [{ region: 'UA-30', since: iso(10) }] }],
      events: [{ at: '00:30', type: 'alert.start', region: 'UA-30', threats: ['drone'], source: 'rec' }],
    });
    expect(found.map((p) => p.path)).toContain('events[0]');
    expect(found.find((p) => p.path === 'events[0]')!.message).toMatch(/already under the alert that began at 00:10:00/);
  });
});

describe('reported starts and modelled all-clears', () => {
  it('ends a nationwide alert a gap before a region\'s reported new alert, so sirens sound "again"', () => {
    const s = load({
      carriers: [{ aircraft: 'MiG-31K', takeoffAt: '01:00', landedAt: '04:00' }],
      events: [{ at: '03:00', type: 'alert.start', region: 'UA-07', threats: ['drone'], source: 'rec' }],
    });
    const volyn = s.events.filter((e) => (e.type === 'alert.start' || e.type === 'alert.end') && e.region === 'UA-07');
    expect(volyn.map((e) => [e.type, e.atMs / MINUTE])).toEqual([
      ['alert.start', expect.closeTo(60, 0)],
      ['alert.end', 175], // the default merge gap, 5 minutes, before
      ['alert.start', 180],
      ['alert.end', expect.any(Number)],
    ]);
  });

  it('spreads modelled all-clears over `clearSpreadMinutes`, region by region', () => {
    const body = { carriers: [{ aircraft: 'MiG-31K', takeoffAt: '01:00', landedAt: '02:00' }] };
    const together = of(load(body).events, 'alert.end').map((e) => e.atMs);
    expect(new Set(together).size).toBe(1);
    const spread = of(load({ ...body, alerting: { clearSpreadMinutes: 12 } }).events, 'alert.end').map((e) => e.atMs);
    const minutes = new Map<number, number>();
    for (const ms of spread) minutes.set(Math.floor(ms / MINUTE), (minutes.get(Math.floor(ms / MINUTE)) ?? 0) + 1);
    expect(Math.max(...minutes.values())).toBeLessThanOrEqual(5);
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(together[0]!);
    expect(Math.max(...spread)).toBeLessThanOrEqual(together[0]! + 12 * MINUTE);
  });
});
