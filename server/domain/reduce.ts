/**
 * `reduce(state, event)`: the one rule for how an event changes the night. Pure and immutable,
 * so the server's snapshots, the engine's checkpoints and the browser's map agree by
 * construction: any state is exactly the fold of the events before it.
 */
import type { EventOf, ScenarioEvent, ThreatKind } from './events.ts';
import type { NightState, RegionState } from './state.ts';

function withRegion(state: NightState, code: string, change: (r: RegionState) => RegionState): NightState {
  const before = state.regions[code];
  if (!before) return state; // an unknown code cannot reach here through a validated scenario
  const after = change(before);
  if (after === before) return state;
  const alertDelta = (after.alert ? 1 : 0) - (before.alert ? 1 : 0);
  return {
    ...state,
    regions: { ...state.regions, [code]: after },
    counters: alertDelta
      ? { ...state.counters, regionsUnderAlert: state.counters.regionsUnderAlert + alertDelta }
      : state.counters,
  };
}

function unionThreats(a: readonly ThreatKind[], b: readonly ThreatKind[]): readonly ThreatKind[] {
  const merged = [...a];
  for (const t of b) if (!merged.includes(t)) merged.push(t);
  return merged;
}

/**
 * A copy of `record` without `key`. Built by a loop rather than rest destructuring with a
 * computed key, which V8 runs on a slow path (it made track updates the costliest reduction).
 */
function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy: Record<string, T> = {};
  for (const k in record) {
    if (k === key) continue;
    // Keys come from scenario text (an aircraft's name, a track id): "__proto__" is defined as
    // data, never assigned, which would replace the copy's prototype.
    if (k === '__proto__') Object.defineProperty(copy, k, { value: record[k], enumerable: true, writable: true, configurable: true });
    else copy[k] = record[k]!;
  }
  return copy;
}

/** `record[key]` only when it is the record's own: "constructor" is not a carrier in flight. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Lowers a track's count after shoot-downs or hits; a track with none left is gone. */
function spendTrack(state: NightState, trackId: string | undefined, count: number): NightState['tracks'] {
  if (trackId === undefined) return state.tracks;
  const track = own(state.tracks, trackId);
  if (!track) return state.tracks;
  const left = track.count - count;
  return left > 0 ? { ...state.tracks, [trackId]: { ...track, count: left } } : without(state.tracks, trackId);
}

function applyAlertStart(state: NightState, e: EventOf<'alert.start'>): NightState {
  // A second declaration while one is open widens the threats but keeps the original start:
  // that is how an alert that merely changes reason reads to people in the region.
  return withRegion(state, e.region, (r) => ({
    ...r,
    alert: r.alert ? { ...r.alert, threats: unionThreats(r.alert.threats, e.threats) } : { sinceMs: e.atMs, threats: e.threats },
  }));
}

export function reduce(state: NightState, event: ScenarioEvent): NightState {
  switch (event.type) {
    case 'alert.start':
      return applyAlertStart(state, event);
    case 'alert.end':
      return withRegion(state, event.region, (r) => (r.alert ? { ...r, alert: null } : r));
    case 'siren.start':
      return withRegion(state, event.region, (r) => ({ ...r, siren: true, sirenErroneous: event.erroneous === true }));
    case 'siren.end':
      return withRegion(state, event.region, (r) =>
        r.siren || r.sirenErroneous ? { ...r, siren: false, sirenErroneous: false } : r,
      );
    case 'launch':
      return {
        ...state,
        counters: {
          ...state.counters,
          launched: { ...state.counters.launched, [event.threat]: state.counters.launched[event.threat] + event.count },
        },
      };
    case 'carrier.takeoff':
      return {
        ...state,
        carriersAirborne: {
          ...state.carriersAirborne,
          [event.aircraft]: (own(state.carriersAirborne, event.aircraft) ?? 0) + (event.count ?? 1),
        },
      };
    case 'carrier.landed': {
      const left = (own(state.carriersAirborne, event.aircraft) ?? 0) - (event.count ?? 1);
      const carriersAirborne =
        left > 0 ? { ...state.carriersAirborne, [event.aircraft]: left } : without(state.carriersAirborne, event.aircraft);
      return { ...state, carriersAirborne };
    }
    case 'threat.move': {
      if (event.count === 0) return own(state.tracks, event.trackId) ? { ...state, tracks: without(state.tracks, event.trackId) } : state;
      return {
        ...state,
        tracks: {
          ...state.tracks,
          [event.trackId]: {
            trackId: event.trackId,
            threat: event.threat,
            count: event.count,
            position: event.position,
            atMs: event.atMs,
            ...(event.heading === undefined ? {} : { heading: event.heading }),
            ...(event.towards === undefined ? {} : { towards: event.towards }),
          },
        },
      };
    }
    case 'intercept':
      return {
        ...state,
        tracks: spendTrack(state, event.trackId, event.count),
        counters: {
          ...state.counters,
          intercepted: { ...state.counters.intercepted, [event.threat]: state.counters.intercepted[event.threat] + event.count },
        },
      };
    case 'impact': {
      // Only places in a region count as the night's hits: a strike abroad is on the map, not in the tally.
      const inRegion = event.region !== undefined;
      const counted: NightState = {
        ...state,
        tracks: spendTrack(state, event.trackId, 1),
        counters: {
          ...state.counters,
          impacts: state.counters.impacts + (inRegion && !event.debris ? 1 : 0),
          debris: state.counters.debris + (inRegion && event.debris ? 1 : 0),
          injured: state.counters.injured + (event.injured ?? 0),
          killed: state.counters.killed + (event.killed ?? 0),
        },
      };
      return event.region === undefined ? counted : withRegion(counted, event.region, (r) => ({ ...r, impacts: r.impacts + 1 }));
    }
    case 'airspace.close': {
      const closed = state.closedAirports[event.country];
      const added = event.airports.filter((a) => !closed.includes(a));
      return { ...state, closedAirports: { ...state.closedAirports, [event.country]: [...closed, ...added] } };
    }
    case 'airspace.open': {
      const closed = state.closedAirports[event.country].filter((a) => !event.airports.includes(a));
      return { ...state, closedAirports: { ...state.closedAirports, [event.country]: closed } };
    }
    case 'jets.scrambled':
      return { ...state, jetsScrambled: { ...state.jetsScrambled, [event.country]: true } };
    case 'jets.stood_down':
      return { ...state, jetsScrambled: { ...state.jetsScrambled, [event.country]: false } };
    case 'outage':
      return withRegion(state, event.region, (r) => (r.outage ? r : { ...r, outage: true }));
    case 'outage.end':
      return withRegion(state, event.region, (r) => (r.outage ? { ...r, outage: false } : r));
    case 'statement':
    case 'claim':
      return state;
  }
}

/** The state after `events[0..count)`, folded from `from` (the initial state by default). */
export function foldEvents(from: NightState, events: readonly ScenarioEvent[], start = 0, end = events.length): NightState {
  let state = from;
  for (let i = start; i < end; i++) state = reduce(state, events[i]!);
  return state;
}
