/** Real servers on ephemeral ports, and real socket.io clients that record what they receive. */
import { pino } from 'pino';
import { stateFromSnapshot } from '../../server/contract/snapshot-state.ts';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClockMessage, CreatedSession, Roster, Snapshot } from '../../server/contract/session.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/socket.ts';
import type { TimelineEvent } from '../../server/domain/events.ts';
import { reduce } from '../../server/domain/reduce.ts';
import type { NightState } from '../../server/domain/state.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A server on an ephemeral port. Every test client comes from 127.0.0.1, so the rate at which one
 * address may open connections is lifted (tests of that limit set their own); the rest are the defaults.
 */
export async function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    ...options,
    quotas: { connectionsPerSecond: 10_000, connectionBurst: 10_000, ...options.quotas },
  });
}

export async function api<T = unknown>(server: RunningServer, path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const { json, ...rest } = init;
  const response = await fetch(`${server.url}${path}`, {
    ...rest,
    ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers ?? {}) } }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export async function createSession(server: RunningServer, request: Record<string, unknown>): Promise<CreatedSession> {
  const { status, body } = await api<CreatedSession>(server, '/api/sessions', { method: 'POST', json: request });
  if (status !== 201) throw new Error(`session not created: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A client that keeps every item it receives and folds the state as the page does. */
export class Recorder {
  readonly socket: ClientSocket;
  readonly seqs: number[] = [];
  readonly events: TimelineEvent[] = [];
  readonly clocks: ClockMessage[] = [];
  readonly snapshots: Snapshot[] = [];
  readonly rosters: Roster[] = [];
  state: NightState | undefined;
  lastSeq = 0;
  ended = false;
  readonly receivedAt = new Map<number, number>();

  constructor(server: RunningServer, auth: Record<string, unknown>) {
    this.socket = connect(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('snapshot', (s) => {
      this.snapshots.push(s);
      this.state = stateFromSnapshot(s);
      this.lastSeq = s.seq;
    });
    this.socket.on('events', (events) => {
      const now = Date.now();
      for (const e of events) {
        this.seqs.push(e.seq);
        this.events.push(e);
        this.receivedAt.set(e.seq, now);
        if (this.state) this.state = reduce(this.state, e);
        this.lastSeq = e.seq;
      }
    });
    this.socket.on('clock', (c) => {
      this.seqs.push(c.seq);
      this.clocks.push(c);
      this.lastSeq = c.seq;
      if (!c.playing && c.positionMs >= c.durationMs) this.ended = true;
    });
    this.socket.on('roster', (r) => this.rosters.push(r));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Resolves when `check` holds, polling; fails after `timeoutMs` with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function emitWithAck<T>(socket: ClientSocket, event: 'control' | 'inject' | 'shelter' | 'post', payload: unknown): Promise<T> {
  return new Promise((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: T) => void) => void)(event, payload, resolve));
}

export function connectError(server: RunningServer, auth: Record<string, unknown>): Promise<{ message: string; data?: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('connected, but should have been refused'));
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.disconnect();
      resolve({ message: error.message, data: error.data });
    });
  });
}
