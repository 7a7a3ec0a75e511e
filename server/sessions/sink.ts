/**
 * Where a session's messages go. The session knows only this interface: today a socket.io
 * server's rooms in this process, later a Redis adapter spanning nodes (DESIGN.md §9).
 */
import type { TimelineEvent } from '../domain/events.ts';
import type { ClockMessage, Roster, Snapshot } from '../contract/session.ts';

export interface SessionSink {
  /** One frame's events, to every participant. */
  events(sessionId: string, events: readonly TimelineEvent[]): void;
  clock(sessionId: string, clock: ClockMessage): void;
  /** After a jump: the whole state, to every participant. */
  snapshot(sessionId: string, snapshot: Snapshot): void;
  /** To the session's instructors only. */
  roster(sessionId: string, roster: Roster): void;
}

/** A sink that drops everything: for sessions nobody watches yet, and for tests. */
export const NULL_SINK: SessionSink = { events() {}, clock() {}, snapshot() {}, roster() {} };
