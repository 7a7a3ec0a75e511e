import type { NightState } from '../domain/state.ts';
import type { Snapshot } from './session.ts';

/** The state a snapshot carries, to fold the following events onto (zod-free: the page uses it). */
export function stateFromSnapshot(s: Snapshot): NightState {
  return { regions: s.regions, counters: s.counters, tracks: s.tracks, jetsScrambled: s.jetsScrambled, closedAirports: s.closedAirports, carriersAirborne: s.carriersAirborne };
}
