/**
 * The page's side of the protocol: one socket, the folded state (the same `reduce` as the
 * server), the clock with its extrapolation, and resync from `snapshot`. Reconnects by itself
 * with `lastSeq`; when the server no longer knows the session (it was restarted) the creator's
 * page starts an equal one at the same moment and carries on.
 */
import { io, type Socket } from 'socket.io-client';
import { stateFromSnapshot } from '../../server/contract/snapshot-state.ts';
import type { ClockMessage, Snapshot } from '../../server/contract/session.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/socket.ts';
import type { ScenarioEvent, TimelineEvent } from '../../server/domain/events.ts';
import { reduce } from '../../server/domain/reduce.ts';
import type { NightState } from '../../server/domain/state.ts';
import { createSession, rememberToken } from '../api.ts';

export interface ConnectionEvents {
  snapshot(snapshot: Snapshot): void;
  events(events: readonly TimelineEvent[], before: NightState): void;
  clock(clock: ClockMessage): void;
  status(connected: boolean): void;
  moved(sessionId: string): void;
  gone(): void;
}

export class Connection {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  state: NightState | undefined;
  clock: ClockMessage | undefined;
  lastSeq: number | undefined;
  /** Injected events and the like: kept so the map can draw them. */
  readonly live: ScenarioEvent[] = [];
  private clockAtMs = 0;

  constructor(
    private sessionId: string,
    private readonly scenarioId: string,
    private token: string | undefined,
    private readonly on: ConnectionEvents,
  ) {
    this.socket = this.open();
  }

  /** The session now watched (it changes when a lost session is started again). */
  get id(): string {
    return this.sessionId;
  }

  get isInstructor(): boolean {
    return this.token !== undefined;
  }

  /** The scenario position now, extrapolated from the last clock. */
  positionMs(): number {
    const c = this.clock;
    if (!c) return 0;
    if (!c.playing) return c.positionMs;
    return Math.min(c.durationMs, c.positionMs + (performance.now() - this.clockAtMs) * c.speed);
  }

  control(control: Parameters<ClientToServerEvents['control']>[0]): void {
    if (this.isInstructor) this.socket.emit('control', control);
  }

  close(): void {
    this.socket.close();
  }

  private open(): Socket<ServerToClientEvents, ClientToServerEvents> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket'],
      // A function, so every reconnect carries the latest seq and the current session.
      auth: (send) =>
        send({
          sessionId: this.sessionId,
          role: this.token ? 'instructor' : 'viewer',
          ...(this.token ? { token: this.token } : {}),
          ...(this.lastSeq !== undefined ? { lastSeq: this.lastSeq } : {}),
        }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    socket.on('connect', () => this.on.status(true));
    socket.on('disconnect', () => this.on.status(false));
    socket.on('connect_error', (error: Error & { data?: { error?: { code?: string } } }) => {
      this.on.status(false);
      if (error.data?.error?.code === 'session_not_found') void this.recreate();
    });
    socket.on('snapshot', (snapshot) => {
      this.state = stateFromSnapshot(snapshot);
      this.lastSeq = snapshot.seq;
      this.setClock(snapshot.clock);
      this.on.snapshot(snapshot);
    });
    socket.on('events', (events) => {
      if (!this.state) return;
      const before = this.state;
      let state = before;
      for (const e of events) {
        state = reduce(state, e);
        if (e.id.startsWith('inject-')) this.live.push(e);
      }
      this.state = state;
      this.lastSeq = events[events.length - 1]?.seq ?? this.lastSeq;
      this.on.events(events, before);
    });
    socket.on('clock', (clock) => {
      this.lastSeq = clock.seq;
      this.setClock(clock);
      this.on.clock(clock);
    });
    return socket;
  }

  private setClock(clock: ClockMessage): void {
    this.clock = clock;
    // Extrapolate from when it arrived: the page's own clock, not the server's, so skew between them does not matter.
    this.clockAtMs = performance.now();
  }

  private recreating = false;

  private async recreate(): Promise<void> {
    if (this.recreating) return;
    if (!this.token) {
      this.socket.close();
      this.on.gone();
      return;
    }
    this.recreating = true;
    try {
      const position = Math.floor(this.positionMs());
      const created = await createSession({ scenarioId: this.scenarioId, positionMs: position, speed: this.clock?.speed ?? 1, autoplay: this.clock?.playing ?? true });
      rememberToken(created.id, created.instructorToken);
      this.sessionId = created.id;
      this.token = created.instructorToken;
      this.lastSeq = undefined;
      this.on.moved(created.id);
      this.socket.close();
      this.socket = this.open();
    } catch {
      // The server is still down: the reconnection loop tries again.
    } finally {
      this.recreating = false;
    }
  }
}
