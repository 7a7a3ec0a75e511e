/**
 * The alert ledger behind the compatible feeds and CAP: episodes folded from a session's events
 * with the domain's reduce, alerts already on at the night's start (negative `sinceMs`) included,
 * and the feed clock that dates them.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import type { NightState } from '../../../server/domain/state.ts';
import { initialState } from '../../../server/domain/state.ts';
import { capMessages } from '../../../server/transport/cap/messages.ts';
import { FeedClock } from '../../../server/transport/compat/feed-time.ts';
import { Ledger } from '../../../server/transport/compat/ledger.ts';
import { scenarioOf } from '../../helpers/scenario.ts';

const MIN = 60_000;

/** The state before the first event with Lviv's alert on since 25 minutes before the start. */
function withEarlyAlert(): NightState {
  const state = initialState();
  const lviv = state.regions['UA-46']!;
  return {
    ...state,
    regions: { ...state.regions, 'UA-46': { ...lviv, alert: { sinceMs: -25 * MIN, threats: ['drone'] } } },
    counters: { ...state.counters, regionsUnderAlert: 1 },
  };
}

/**
 * Events as a session holds them, built directly: the loader would refuse a second declaration and
 * an end without a start, which is exactly what an initial alert and an injected event produce.
 */
const raw: Array<Record<string, unknown> & { atMs: number; type: string }> = [
  { atMs: 10 * MIN, type: 'alert.start', region: 'UA-32', threats: ['drone'] },
  { atMs: 20 * MIN, type: 'alert.start', region: 'UA-32', threats: ['cruise_missile'] },
  { atMs: 30 * MIN, type: 'alert.end', region: 'UA-46' },
  { atMs: 40 * MIN, type: 'alert.end', region: 'UA-32' },
  { atMs: 50 * MIN, type: 'siren.start', region: 'PL-06', places: ['Lubartów'], erroneous: true },
  { atMs: 60 * MIN, type: 'siren.end', region: 'PL-06' },
];
const events = raw.map((e, i) => ({ ...e, id: `e${i}`, time: '', text: { en: e.type } })) as unknown as ScenarioEvent[];
const night = { ...scenarioOf([]), events, durationMs: 60 * MIN };

describe('Ledger', () => {
  it('lists an alert already on at the start as beginning before the start, and closes it when it ends', () => {
    const ledger = new Ledger(events, withEarlyAlert());
    expect(ledger.open.get('alert:UA-46')).toMatchObject({ startMs: -25 * MIN, endMs: null, threats: ['drone'] });
    ledger.advance(3);
    expect(ledger.open.has('alert:UA-46')).toBe(false);
    expect(ledger.alertsOf('UA-46')).toEqual([expect.objectContaining({ n: 1, startMs: -25 * MIN, endMs: 30 * MIN })]);
  });

  it('takes the latest change, not the last listed, among alerts already on at the start', () => {
    const state = withEarlyAlert();
    const kyiv = state.regions['UA-32']!;
    // Kyiv oblast comes before Lviv in the region table but its alert began later.
    const both = { ...state, regions: { ...state.regions, 'UA-32': { ...kyiv, alert: { sinceMs: -10 * MIN, threats: ['drone' as const] } } } };
    const ledger = new Ledger(events, both);
    expect(ledger.changes.at(-1)?.episode.code).toBe('UA-46');
    expect(ledger.lastChangeMs).toBe(-10 * MIN);
  });

  it('keeps one episode when a second declaration widens the threats, and records the update', () => {
    const ledger = new Ledger(events, initialState());
    ledger.advance(4);
    const [kyiv] = ledger.alertsOf('UA-32');
    expect(kyiv).toMatchObject({ startMs: 10 * MIN, endMs: 40 * MIN, startThreats: ['drone'], threats: ['drone', 'cruise_missile'] });
    expect(kyiv!.updates).toEqual([{ atMs: 20 * MIN, threats: ['drone', 'cruise_missile'], erroneous: false }]);
    expect(ledger.changes.map((c) => [c.episode.code, c.on])).toEqual([['UA-32', true], ['UA-32', false]]);
  });

  it('records Polish sirens with their places and the erroneous flag', () => {
    const ledger = new Ledger(events, initialState());
    ledger.advance(events.length);
    const siren = ledger.episodes.find((e) => e.kind === 'siren')!;
    expect(siren).toMatchObject({ code: 'PL-06', startMs: 50 * MIN, endMs: 60 * MIN, erroneous: true, places: ['Lubartów'] });
  });

  it('issues CAP Alert, Update and Cancel with references to the earlier messages of the same episode', () => {
    const ledger = new Ledger(events, withEarlyAlert());
    ledger.advance(events.length);
    const messages = capMessages('s1', ledger);
    expect(messages.map((m) => `${m.episode.code} ${m.msgType}`)).toEqual([
      'UA-46 Alert',
      'UA-32 Alert',
      'UA-32 Update',
      'UA-46 Cancel',
      'UA-32 Cancel',
      'PL-06 Alert',
      'PL-06 Cancel',
    ]);
    const cancel = messages.find((m) => m.episode.code === 'UA-32' && m.msgType === 'Cancel')!;
    expect(cancel.references.map((m) => m.identifier)).toEqual(['s1.UA-32.2.alert', 's1.UA-32.2.update1']);
  });
});

describe('FeedClock', () => {
  const session = (feedTimes: 'present' | 'original', positionMs: number, serverTimeMs: number) => ({
    feedTimes,
    scenario: night,
    clock: { positionMs, serverTimeMs, speed: 1, playing: false, loop: false, durationMs: night.durationMs },
  });

  it('reads the replay\'s present as now and keeps durations, an alert from before the start included', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const clock = new FeedClock(session('present', 40 * MIN, now));
    expect(clock.nowMs).toBe(now);
    expect(clock.at(10 * MIN)).toBe(now - 30 * MIN);
    expect(clock.at(-25 * MIN)).toBe(now - 65 * MIN);
  });

  it('shows the night\'s own times when asked, before the start for an early alert', () => {
    const clock = new FeedClock(session('original', 40 * MIN, Date.now()));
    expect(clock.at(0)).toBe(night.startMs);
    expect(clock.at(-25 * MIN)).toBe(night.startMs - 25 * MIN);
  });
});
