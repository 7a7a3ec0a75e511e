/**
 * The socket.io protocol of DESIGN.md §5: admission, the first snapshot (or the items missed
 * since `lastSeq`), and the client's `control`, `shelter` and `inject`, each answered through
 * its acknowledgement with `{ ok: true, ... }` or `{ ok: false, error }`.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { ApiError, type ErrorBody } from '../../contract/errors.ts';
import type { FaultProfile } from '../../contract/faults.ts';
import { handshakeSchema, type Ack, type ClientToServerEvents, type Handshake, type ServerToClientEvents } from '../../contract/socket.ts';
import { CALL_NAMES, type CallName, type Opening } from '../../sessions/calls.ts';
import type { LoggedMessage } from '../../sessions/item-log.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { admit } from '../../sessions/rules.ts';
import { parseHandshake } from './handshake.ts';
import { localPort, type SessionPort } from './port.ts';
import { DEFAULT_SOCKET_LIMITS, TRANSPORT_MAX_BYTES, floodCounter, messageLimiter, type SocketLimits } from './limits.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';
import { joinWithFaults } from './faults.ts';
import { directRoomBroadcast } from './room-broadcast.ts';
import { instructorRoom, regionRoom, sessionSockets, socketSink, traineeRoom } from './sink.ts';

interface SocketData {
  port: SessionPort;
  /** Set when the packet being decoded is refused before it is read (too large, binary). */
  refused: ApiError | undefined;
  address: string;
}

/** What nodes tell each other through the adapter (`serverSideEmit`). */
export interface InterServerEvents {
  /** Node `owner` took session `sessionId` over: every node counts its clients of it in there. */
  adopted: (sessionId: string, owner: string) => void;
}

export type SimSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type SimServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketServerOptions {
  readonly registry: SessionRegistry;
  readonly logger: Logger;
  readonly limits?: Partial<SocketLimits>;
  /** Origins allowed to connect from other pages (`CORS_ORIGINS`); absent: same origin only. */
  readonly cors?: { origin: string | string[] };
  /** Faults on demand: wraps the sink, and serves clients that bring their own profile. */
  readonly faults?: SessionFaults;
  /** With several nodes: sessions run by another node, and the shared log of this node's own. */
  readonly cluster?: SocketCluster;
  /** socket.io's adapter across nodes (the Redis Streams adapter); absent: this process's rooms. */
  readonly adapter?: ServerOptions['adapter'];
}

export interface SocketCluster {
  /** Admits a client to a session another node runs; throws `session_not_found` if none does. */
  admit(handshake: Handshake, address: string): Promise<SessionPort>;
  /** Items a session run here missed before this node took it over. */
  missedSince(sessionId: string, lastSeq: number): Promise<LoggedMessage[] | undefined>;
}

function sendOpening(socket: SimSocket, opening: Opening): void {
  if (opening.self) socket.emit('self', opening.self);
  if (opening.missed) {
    for (const message of opening.missed) {
      if (message.kind === 'events') socket.emit('events', [...message.events]);
      else socket.emit('clock', message.clock);
    }
  } else if (opening.snapshot) socket.emit('snapshot', opening.snapshot);
  if (opening.roster) socket.emit('roster', opening.roster);
}

/** How often connections are checked for a client that has stopped reading. */
const SLOW_CLIENT_CHECK_MS = 1000;

function failure(error: unknown): { ok: false } & ErrorBody {
  const apiError = error instanceof ApiError ? error : new ApiError('internal', 'something went wrong on the server');
  return { ok: false, ...apiError.toBody() };
}

/** The handshake as admitted (it was validated in `io.use`). */
function admittedHandshake(auth: unknown): { lastSeq?: number; faults?: FaultProfile } {
  const parsed = handshakeSchema.safeParse(auth);
  return parsed.success ? parsed.data : {};
}

/** The acknowledgement callback of a message, if the client asked for one. */
function ackOf(args: unknown[]): ((result: Ack) => void) | undefined {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as (result: Ack) => void) : undefined;
}

export function attachSocketServer(httpServer: HttpServer, options: SocketServerOptions): SimServer {
  const limits = { ...DEFAULT_SOCKET_LIMITS, ...options.limits };
  const { registry, logger } = options;
  const io: SimServer = new Server(httpServer, {
    serveClient: false,
    // Resume is the protocol's own (lastSeq), so socket.io's connection-state recovery stays off.
    maxHttpBufferSize: TRANSPORT_MAX_BYTES,
    ...(options.cors ? { cors: options.cors } : {}),
    // With several nodes a long-polling client learns that its node died only from the heartbeat:
    // 10 s + 5 s instead of socket.io's 25 s + 20 s. (Websockets see the close at once.)
    ...(options.adapter ? { adapter: options.adapter, pingInterval: 10_000, pingTimeout: 5_000 } : {}),
  });
  if (!options.adapter) directRoomBroadcast(io.of('/'));
  registry.sink = options.faults ? options.faults.wrap(socketSink(io)) : socketSink(io);
  const limiter = messageLimiter(limits);
  const flood = floodCounter(limits);

  addSecurityHeaders(httpServer);

  io.use((socket, next) => {
    const address = socket.handshake.address;
    const refuse = (error: unknown) => {
      const refused = error instanceof ApiError ? error : new ApiError('internal', 'the connection could not be admitted');
      const err = new Error(refused.message) as Error & { data: unknown };
      err.data = refused.toBody();
      next(err);
    };
    const admitted = (port: SessionPort) => {
      socket.data = { port, refused: undefined, address };
      next();
    };
    try {
      const handshake = parseHandshake(socket.handshake.auth);
      if (registry.get(handshake.sessionId) || !options.cluster) {
        // A new trainee is admitted once committed; a client gone meanwhile is not counted (socket.io drops it).
        return void admit(handshake, registry, address).then((admission) => {
          try {
            if (socket.conn.readyState !== 'open') throw new Error('the connection closed while it was admitted');
            registry.connected(address);
          } catch (error) {
            return refuse(error);
          }
          admitted(localPort(admission, options.cluster ? (id, seq) => options.cluster!.missedSince(id, seq) : undefined));
        }, refuse);
      }
      registry.connected(address);
      options.cluster.admit(handshake, address).then(admitted, (error: unknown) => {
        registry.released(address);
        refuse(error);
      });
    } catch (error) {
      refuse(error);
    }
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as SimSocket;
    const { port } = socket.data;
    const { actor } = port;
    const sessionId = port.sessionId;
    const handshake = admittedHandshake(socket.handshake.auth);

    // Joining the rooms comes before what the client lacks is computed, so no broadcast can fall
    // between them; for a session run here it is one synchronous step (nothing arrives twice),
    // for one run elsewhere the client drops by seq what it is sent twice.
    joinWithFaults(socket, sessionId, handshake.faults, options.faults);
    if (actor.role === 'instructor') void socket.join(instructorRoom(sessionId));
    if (actor.participantId && actor.region) void socket.join([regionRoom(sessionId, actor.region), traineeRoom(sessionId, actor.participantId)]);
    port.enter();
    if (port.welcome) socket.emit('welcome', port.welcome);
    const opening = port.opening(handshake.lastSeq);
    if (opening instanceof Promise) {
      opening.then(
        (o) => sendOpening(socket, o),
        (error: unknown) => {
          logger.warn({ err: error, session: sessionId }, 'opening a remote session failed; client disconnected');
          socket.disconnect(true);
        },
      );
    } else sendOpening(socket, opening);

    // Packets are measured in bytes before they are decoded; one too large, or binary (the
    // protocol is JSON text), is refused with a typed error, and counts like any message.
    socket.conn.on('packet', (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message') return;
      if (Buffer.isBuffer(packet.data) || packet.data instanceof ArrayBuffer) {
        socket.data.refused = new ApiError('invalid_request', 'messages are JSON text; binary data is not accepted');
      } else if (typeof packet.data === 'string' && Buffer.byteLength(packet.data) > limits.maxMessageBytes) {
        socket.data.refused = new ApiError('payload_too_large', `a message may be at most ${limits.maxMessageBytes} bytes`);
        // Its body is never parsed: the packet is swapped, before socket.io decodes it, for an
        // empty event that keeps its acknowledgement id (`2<id>[…]`), so the refusal can be answered.
        const head = /^2\d*(?=\[)/.exec(packet.data)?.[0];
        packet.data = `${head ?? '2'}["refused"]`;
      }
    });

    const refuse = (ack: ((result: Ack) => void) | undefined, error: ApiError) => {
      ack?.(failure(error));
      flood.consume(socket.id).catch(() => {
        logger.warn({ session: sessionId, socket: socket.id }, 'flooding client disconnected');
        socket.disconnect(true);
      });
    };
    socket.use((packet, next) => {
      const ack = ackOf(packet);
      const refused = socket.data.refused;
      socket.data.refused = undefined;
      limiter
        .consume(socket.id)
        .then(() => (refused ? refuse(ack, refused) : next()))
        .catch(() => refuse(ack, ApiError.busy('rate_limited', `at most ${limits.messagesPerSecond} messages a second`, 1)));
    });

    const answer = (name: string, ack: ((result: Ack) => void) | undefined, error: unknown) => {
      if (!(error instanceof ApiError)) logger.error({ err: error, session: sessionId, message: name }, 'socket message failed');
      ack?.(failure(error));
    };
    const handle = (name: CallName, args: unknown[]) => {
      const ack = ackOf(args);
      const payload = typeof args[0] === 'function' ? undefined : args[0];
      port.call(name, payload).then(
        (result) => ack?.({ ok: true, ...result }),
        (error: unknown) => answer(name, ack, error),
      );
    };
    for (const name of CALL_NAMES) socket.on(name, (...args: unknown[]) => handle(name, args));

    socket.on('disconnect', () => {
      registry.released(socket.data.address);
      port.leave();
      limiter.delete(socket.id).catch(() => {});
    });
  });

  io.on('adopted', (sessionId, owner) => reenter(io, sessionId, owner));

  // A client that stops reading must not make the server buffer without end: past the limit it
  // is disconnected, and resyncs from a snapshot when it comes back.
  const slowCheck = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      if (bufferedBytes(socket) > limits.maxBufferedBytes) {
        logger.warn({ socket: socket.id }, 'client not reading; disconnected');
        socket.disconnect(true);
      }
    }
  }, SLOW_CLIENT_CHECK_MS).unref();
  io.engine.on('close', () => clearInterval(slowCheck));
  httpServer.on('close', () => clearInterval(slowCheck));

  return io;
}

/** This node's clients of a session that changed owner: counted in by the new one (trainee presence). */
export function reenter(io: SimServer, sessionId: string, owner: string): void {
  for (const socket of sessionSockets(io.of('/'), sessionId)) socket.data.port?.reenter?.(owner);
}

/**
 * socket.io answers /socket.io/ itself, before the HTTP app and its helmet: these are the
 * headers that matter for its responses (JSON and text, never a page), set ahead of its handler.
 */
const SOCKET_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

function addSecurityHeaders(httpServer: HttpServer): void {
  httpServer.prependListener('request', (req, res) => {
    if (!req.url?.startsWith('/socket.io/')) return;
    for (const [name, value] of Object.entries(SOCKET_HEADERS)) res.setHeader(name, value);
  });
}

/**
 * Bytes waiting to be written to the client: engine.io's queue, plus what the websocket holds
 * (ws's `bufferedAmount` already includes the TCP socket's own buffer, which an earlier version
 * added a second time, so a client was cut off at half the limit). Every connection is read
 * each second: a loop over the queue, no closure per connection.
 */
export function bufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as { writeBuffer?: Array<{ data?: unknown }>; transport?: { socket?: { bufferedAmount?: number } } };
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  const queue = conn.writeBuffer;
  if (queue) for (const packet of queue) if (typeof packet.data === 'string') bytes += packet.data.length;
  return bytes;
}
