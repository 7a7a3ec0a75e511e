/**
 * The snapshot a participant joining (or falling too far behind) gets: the whole state at the
 * current position, the clock, and the last 50 events, those broadcast since the last jump with
 * their seqs. Apart from Session because it reads the engine, the broadcast and the session's
 * identity together, and is the one place the wire's `Snapshot` is assembled.
 */
import type { SessionKind, Snapshot, RecentEvent } from '../contract/session.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { ReplayEngine } from '../engine/replay.ts';
import { RECENT_EVENTS } from './broadcast.ts';

export interface SnapshotSource {
  readonly session: { readonly id: string; readonly kind: SessionKind; readonly resumed: boolean };
  readonly scenario: Scenario;
  readonly engine: ReplayEngine;
  /** The seq of the last item broadcast. */
  readonly seq: number;
  /** The seqs of the events broadcast since the last jump, by event id. */
  readonly recentSeqs: ReadonlyMap<string, number>;
}

export function snapshotOf({ session, scenario, engine, seq, recentSeqs }: SnapshotSource): Snapshot {
  const state = engine.state;
  const cursor = engine.cursor;
  const recent: RecentEvent[] = engine.eventsBetween(Math.max(0, cursor - RECENT_EVENTS), cursor).map((e) => {
    const eventSeq = recentSeqs.get(e.id);
    return eventSeq === undefined ? e : { ...e, seq: eventSeq };
  });
  return {
    seq,
    session,
    scenario: {
      id: scenario.id,
      title: scenario.title,
      start: scenario.start,
      timeZone: scenario.timeZone,
      durationMs: engine.clock.durationMs,
    },
    clock: { ...engine.clock, seq },
    regions: state.regions,
    counters: state.counters,
    tracks: state.tracks,
    jetsScrambled: state.jetsScrambled,
    closedAirports: state.closedAirports,
    carriersAirborne: state.carriersAirborne,
    recent,
  };
}
