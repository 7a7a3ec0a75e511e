/**
 * A shortcut on the hottest path of one process: every session item goes out as
 * `io.to(sessionRoom).emit(…)`, a broadcast to exactly one room. socket.io's in-memory adapter
 * handles any list of rooms the same way: for every message it builds a Set of the ids it has
 * sent to, so that a socket in two of the rooms named gets the message once. With one room and
 * no exceptions there is nothing to skip, yet at 1,000 viewers and 3600x that Set was about 3 %
 * of the server's CPU (a profile of `npm run bench -- fanout`: the adapter's `apply` took 353 ms
 * of a window where the bare socket.io server's `io.emit` took 212 ms for the same messages).
 *
 * So one-room broadcasts walk the room's members directly, in the same order; everything else
 * (several rooms, `except`, disconnectSockets with filters…) goes to the adapter's own code. Only
 * the in-memory adapter of a single process is changed: the Redis adapter of several nodes keeps
 * its own. `apply` is the adapter's internal filter (socket.io-adapter 2.x); if a later version
 * has none, nothing is changed and broadcasts take the stock path.
 */
import type { Namespace } from 'socket.io';

interface Filter {
  readonly rooms: ReadonlySet<string>;
  readonly except?: ReadonlySet<string>;
}

type Apply = (opts: Filter, callback: (socket: unknown) => void) => void;

interface InMemoryAdapter {
  readonly rooms: Map<string, Set<string>>;
  apply?: Apply;
}

/** Gives `nsp`'s in-memory adapter the one-room shortcut; true when it did. */
export function directRoomBroadcast(nsp: Namespace): boolean {
  const adapter = nsp.adapter as unknown as InMemoryAdapter;
  const stock = adapter.apply;
  if (typeof stock !== 'function') return false;
  const sockets = nsp.sockets;
  adapter.apply = function apply(opts, callback) {
    if (opts.rooms.size !== 1 || (opts.except && opts.except.size > 0)) return stock.call(this, opts, callback);
    const [room] = opts.rooms;
    const members = adapter.rooms.get(room!);
    if (!members) return;
    for (const id of members) {
      const socket = sockets.get(id);
      if (socket) callback(socket);
    }
  };
  return true;
}
