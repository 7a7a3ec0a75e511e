/**
 * The session sink for socket.io: each session is a room, so every message is encoded once and
 * written to every participant's connection, not serialized per client. A drill adds a room per
 * region (its trainees) and per trainee (its own status).
 */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contract/socket.ts';
import type { SessionSink } from '../../sessions/sink.ts';

export const sessionRoom = (sessionId: string) => `s:${sessionId}`;
export const instructorRoom = (sessionId: string) => `s:${sessionId}:instructors`;
export const regionRoom = (sessionId: string, region: string) => `s:${sessionId}:r:${region}`;
export const traineeRoom = (sessionId: string, participantId: string) => `s:${sessionId}:p:${participantId}`;

/** This process's connections to a session (its room in `nsp`, usually `io.of('/')`), as a list. */
export function sessionSockets<T>(nsp: { readonly adapter: { readonly rooms: Map<string, Set<string>> }; readonly sockets: Map<string, T> }, sessionId: string): T[] {
  const found: T[] = [];
  for (const id of nsp.adapter.rooms.get(sessionRoom(sessionId)) ?? []) {
    const socket = nsp.sockets.get(id);
    if (socket) found.push(socket);
  }
  return found;
}

export function socketSink(io: Server<ClientToServerEvents, ServerToClientEvents>): SessionSink {
  return {
    events: (id, events) => io.to(sessionRoom(id)).emit('events', [...events]),
    clock: (id, clock) => io.to(sessionRoom(id)).emit('clock', clock),
    snapshot: (id, snapshot) => io.to(sessionRoom(id)).emit('snapshot', snapshot),
    roster: (id, roster) => io.to(instructorRoom(id)).emit('roster', roster),
    self: (id, participantId, status) => io.to(traineeRoom(id, participantId)).emit('self', status),
    message: (id, message) =>
      io.to(message.region === null ? sessionRoom(id) : [regionRoom(id, message.region), instructorRoom(id)]).emit('message', message),
    ended: (id, reason) => {
      io.to(sessionRoom(id)).emit('ended', { reason });
      io.in(sessionRoom(id)).disconnectSockets(true);
    },
  };
}
