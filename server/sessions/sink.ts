/**
 * Where a session's messages go. The session knows only this interface: today a socket.io
 * server's rooms in this process, later a Redis adapter spanning nodes (DESIGN.md §9).
 */
import type { TimelineEvent } from '../domain/events.ts';
import type { ClockMessage, DrillMessage, Roster, Snapshot, TraineeStatus } from '../contract/session.ts';

export interface SessionSink {
  /** One frame's events, to every participant. */
  events(sessionId: string, events: readonly TimelineEvent[]): void;
  clock(sessionId: string, clock: ClockMessage): void;
  /** After a jump: the whole state, to every participant. */
  snapshot(sessionId: string, snapshot: Snapshot): void;
  /** To the session's instructors only. */
  roster(sessionId: string, roster: Roster): void;
  /** To one trainee: where it stands. */
  self(sessionId: string, participantId: string, status: TraineeStatus): void;
  /** The instructor's message: to everyone (region null) or to one region's trainees and the instructors. */
  message(sessionId: string, message: DrillMessage): void;
  /** The session was deleted: its clients are told and let go. */
  ended(sessionId: string, reason: string): void;
}

/** A sink that drops everything: for sessions nobody watches yet, and for tests. */
export const NULL_SINK: SessionSink = { events() {}, clock() {}, snapshot() {}, roster() {}, self() {}, message() {}, ended() {} };
