/**
 * The socket.io protocol of DESIGN.md §5: admission, the first snapshot (or the items missed
 * since `lastSeq`), and the client's `control`, `shelter` and `inject`, each answered through
 * its acknowledgement with `{ ok: true, ... }` or `{ ok: false, error }`.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { ApiError, parseOr, type ErrorBody } from '../../contract/errors.ts';
import { controlSchema, injectSchema, postSchema } from '../../contract/session.ts';
import type { FaultProfile } from '../../contract/faults.ts';
import { handshakeSchema, shelterSchema, type Ack, type ClientToServerEvents, type ServerToClientEvents } from '../../contract/socket.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { authorize, type Action, type Actor } from '../../sessions/rules.ts';
import type { Session } from '../../sessions/session.ts';
import { admit } from './handshake.ts';
import { DEFAULT_SOCKET_LIMITS, TRANSPORT_MAX_BYTES, floodCounter, messageLimiter, type SocketLimits } from './limits.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';
import { joinWithFaults } from './faults.ts';
import { instructorRoom, regionRoom, socketSink, traineeRoom } from './sink.ts';

interface SocketData {
  session: Session;
  actor: Actor;
  /** Set for a trainee who has just joined: sent first, so it can come back as itself. */
  welcome?: { participantId: string; participantToken: string };
  /** Set when the packet being decoded is refused before it is read (too large, binary). */
  refused: ApiError | undefined;
  address: string;
}

type SimSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SimServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServerOptions {
  readonly registry: SessionRegistry;
  readonly logger: Logger;
  readonly limits?: Partial<SocketLimits>;
  /** Origins allowed to connect from other pages (`CORS_ORIGINS`); absent: same origin only. */
  readonly cors?: { origin: string | string[] };
  /** Faults on demand: wraps the sink, and serves clients that bring their own profile. */
  readonly faults?: SessionFaults;
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
  });
  registry.sink = options.faults ? options.faults.wrap(socketSink(io)) : socketSink(io);
  const limiter = messageLimiter(limits);
  const flood = floodCounter(limits);

  addSecurityHeaders(httpServer);

  io.use((socket, next) => {
    try {
      const address = socket.handshake.address;
      const admission = admit(socket.handshake.auth, registry, address);
      registry.connected(address);
      socket.data = { session: admission.session, actor: admission.actor, refused: undefined, address };
      const participant = admission.actor.participant;
      if (admission.isNew && participant) socket.data.welcome = { participantId: participant.participantId, participantToken: participant.token };
      next();
    } catch (error) {
      const refused = error instanceof ApiError ? error : new ApiError('internal', 'the connection could not be admitted');
      const err = new Error(refused.message) as Error & { data: unknown };
      err.data = refused.toBody();
      next(err);
    }
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as SimSocket;
    const { session, actor } = socket.data;
    const { role, participant } = actor;
    const handshake = admittedHandshake(socket.handshake.auth);

    // Joining the room and sending what the client lacks happen in one synchronous step, so no
    // broadcast can fall between them: nothing is missed, nothing arrives twice.
    joinWithFaults(socket, session.id, handshake.faults, options.faults);
    if (role === 'instructor') void socket.join(instructorRoom(session.id));
    if (participant) void socket.join([regionRoom(session.id, participant.region), traineeRoom(session.id, participant.participantId)]);
    session.connect(participant);
    if (socket.data.welcome) socket.emit('welcome', socket.data.welcome);
    if (participant) socket.emit('self', session.traineeStatus(participant));
    const missed = typeof handshake.lastSeq === 'number' ? session.missedSince(handshake.lastSeq) : undefined;
    if (missed) {
      for (const message of missed) {
        if (message.kind === 'events') socket.emit('events', [...message.events]);
        else socket.emit('clock', message.clock);
      }
    } else socket.emit('snapshot', session.snapshot());
    if (role === 'instructor' && session.drill) socket.emit('roster', session.roster());

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
        logger.warn({ session: session.id, socket: socket.id }, 'flooding client disconnected');
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

    const handle = <T extends object>(name: string, args: unknown[], work: () => T) => {
      const ack = ackOf(args);
      try {
        const result = work();
        ack?.({ ok: true, ...result });
      } catch (error) {
        if (!(error instanceof ApiError)) logger.error({ err: error, session: session.id, message: name }, 'socket message failed');
        ack?.(failure(error));
      }
    };
    const may = (action: Action) => authorize(actor, action, session);

    socket.on('control', (...args: unknown[]) =>
      handle('control', args, () => {
        may('control');
        return { clock: session.control(parseOr(controlSchema, args[0], 'invalid_control', 'control')) };
      }),
    );
    socket.on('inject', (...args: unknown[]) =>
      handle('inject', args, () => {
        may('inject');
        const { event } = parseOr(injectSchema, args[0], 'invalid_request', 'inject: send { event: { type, ... } }');
        return { event: session.inject(event) };
      }),
    );
    socket.on('shelter', (...args: unknown[]) =>
      handle('shelter', args, () => {
        may('shelter');
        parseOr(shelterSchema, typeof args[0] === 'function' ? undefined : args[0], 'invalid_request', 'shelter report');
        const { alertAtMs, responseMs, responseWallMs } = session.shelter(participant!);
        return { alertAtMs, responseMs: responseMs!, responseWallMs: responseWallMs! };
      }),
    );
    socket.on('post', (...args: unknown[]) =>
      handle('post', args, () => {
        may('post');
        const { text, region } = parseOr(postSchema, args[0], 'invalid_request', 'post: send { text, region? }');
        return { message: session.post(text, region) };
      }),
    );

    socket.on('disconnect', () => {
      registry.released(socket.data.address);
      session.disconnect(participant);
      limiter.delete(socket.id).catch(() => {});
    });
  });

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

/** Bytes waiting to be written to the client: engine.io's queue plus the websocket's buffer. */
function bufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as {
    writeBuffer?: Array<{ data?: unknown }>;
    transport?: { socket?: { bufferedAmount?: number; _socket?: { writableLength?: number } } };
  };
  const queued = (conn.writeBuffer ?? []).reduce((sum, p) => sum + (typeof p.data === 'string' ? p.data.length : 0), 0);
  const ws = conn.transport?.socket;
  return queued + (ws?.bufferedAmount ?? 0) + (ws?._socket?.writableLength ?? 0);
}
