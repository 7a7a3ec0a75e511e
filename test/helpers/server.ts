/** Real servers on ephemeral ports, and real socket.io clients that record what they receive. */
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { connect as connectClient, type SimClient } from '../../client/sdk/index.ts';
import type { ClockMessage, CreatedSession, ParticipantRole, Roster, Snapshot } from '../../server/contract/session.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/socket.ts';
import type { TimelineEvent } from '../../server/domain/events.ts';
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

export async function api<T = unknown>(server: Pick<RunningServer, 'url'>, path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: T; headers: Headers }> {
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

export async function createSession(server: Pick<RunningServer, 'url'>, request: Record<string, unknown>): Promise<CreatedSession> {
  const { status, body } = await api<CreatedSession>(server, '/api/sessions', { method: 'POST', json: request });
  if (status !== 201) throw new Error(`session not created: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A client that keeps every item it receives, in order, with the state folded as the page does:
 * the SDK's client (`client/sdk`) with reconnection off, so a test sees each drop. Duplicates
 * the server sent are counted in `client.stats` (the SDK hands each item on once).
 */
export class Recorder {
  readonly client: SimClient;
  readonly socket: ClientSocket;
  readonly seqs: number[] = [];
  readonly events: TimelineEvent[] = [];
  readonly clocks: ClockMessage[] = [];
  readonly snapshots: Snapshot[] = [];
  readonly rosters: Roster[] = [];
  ended = false;
  readonly receivedAt = new Map<number, number>();

  constructor(server: RunningServer, auth: Record<string, unknown>) {
    const a = auth as { sessionId: string; role?: ParticipantRole; token?: string; joinCode?: string; name?: string; region?: string; lastSeq?: number; participantId?: string; participantToken?: string };
    this.client = connectClient({
      url: server.url,
      sessionId: a.sessionId,
      ...(a.role ? { role: a.role } : {}),
      ...(a.token ? { token: a.token } : {}),
      ...(a.joinCode ? { joinCode: a.joinCode } : {}),
      ...(a.name ? { name: a.name } : {}),
      ...(a.region ? { region: a.region } : {}),
      ...(a.lastSeq !== undefined ? { lastSeq: a.lastSeq } : {}),
      ...(a.participantId && a.participantToken ? { participant: { participantId: a.participantId, participantToken: a.participantToken } } : {}),
      socket: { reconnection: false },
    });
    this.socket = this.client.socket;
    this.client.snapshot$.subscribe((s) => this.snapshots.push(s));
    this.client.event$.subscribe((e) => {
      this.seqs.push(e.seq);
      this.events.push(e);
      this.receivedAt.set(e.seq, Date.now());
    });
    this.client.clock$.subscribe((c) => {
      this.seqs.push(c.seq);
      this.clocks.push(c);
      if (!c.playing && c.positionMs >= c.durationMs) this.ended = true;
    });
    this.client.roster$.subscribe((r) => this.rosters.push(r));
  }

  get state(): NightState | undefined {
    return this.client.state;
  }

  get lastSeq(): number {
    return this.client.lastSeq ?? 0;
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  close(): void {
    this.client.close();
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
