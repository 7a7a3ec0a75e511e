/**
 * The socket side of faults on demand: a client that connects with `faults` in its handshake
 * gets the session's items through its own pipeline instead of the session's room; every
 * client is told on connect which faults apply to it (its own, else its session's).
 */
import type { FaultProfile, FaultReport } from '../../contract/faults.ts';
import type { FaultHooks, SessionFaults } from '../../faults/session-faults.ts';
import type { SimServer, SimSocket } from './server.ts';
import { sessionRoom, sessionSockets } from './sink.ts';


/** Joins the session's room, or (with its own profile) attaches the client's pipeline instead. */
export function joinWithFaults(socket: SimSocket, sessionId: string, profile: FaultProfile | undefined, faults: SessionFaults | undefined): void {
  if (!profile || !faults) {
    void socket.join(sessionRoom(sessionId));
    const report = faults?.report(sessionId);
    if (report?.profile) socket.emit('faults', report);
    return;
  }
  const { pipeline, remove } = faults.addClient(sessionId, profile, {
    send: (m) => (m.kind === 'events' ? socket.emit('events', [...m.events]) : socket.emit('clock', m.clock)),
    snapshot: (s) => socket.emit('snapshot', s),
    // Closing the transport (not a server-side disconnect) makes socket.io-client reconnect by itself.
    disconnect: () => socket.conn.close(),
  });
  socket.on('disconnect', remove);
  socket.emit('faults', pipeline.dice.report('client'));
}

/** The hooks `SessionFaults` needs from the socket server. */
export function socketFaultHooks(io: () => SimServer | undefined, isLive: (id: string) => boolean): FaultHooks {
  return {
    disconnectSession: (id: string) => {
      const server = io();
      if (server) for (const socket of sessionSockets(server.of('/'), id)) socket.conn.close();
    },
    announce: (id: string, report: FaultReport) => {
      io()?.to(sessionRoom(id)).emit('faults', report);
    },
    isLive,
  };
}
