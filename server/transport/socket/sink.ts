/**
 * The session sink for socket.io: each session is a room, so every message is encoded once and
 * written to every participant's connection, not serialized per client.
 */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contract/socket.ts';
import type { SessionSink } from '../../sessions/sink.ts';

export const sessionRoom = (sessionId: string) => `s:${sessionId}`;
export const instructorRoom = (sessionId: string) => `s:${sessionId}:instructors`;

export function socketSink(io: Server<ClientToServerEvents, ServerToClientEvents>): SessionSink {
  return {
    events: (id, events) => io.to(sessionRoom(id)).emit('events', [...events]),
    clock: (id, clock) => io.to(sessionRoom(id)).emit('clock', clock),
    snapshot: (id, snapshot) => io.to(sessionRoom(id)).emit('snapshot', snapshot),
    roster: (id, roster) => io.to(instructorRoom(id)).emit('roster', roster),
  };
}
