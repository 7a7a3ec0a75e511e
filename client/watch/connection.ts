/**
 * The page's side of a session, on the SDK's client (`client/sdk`): the folded state, the clock
 * with its extrapolation, and the faults the session applies. The SDK orders, de-duplicates and
 * resumes; this adds what only the page does: when the server no longer knows the session (it
 * was restarted), the creator's page starts an equal one at the same moment and carries on.
 */
import type { FaultReport } from '../../server/contract/faults.ts';
import type { ClockMessage, Snapshot } from '../../server/contract/session.ts';
import type { ClientToServerEvents } from '../../server/contract/socket.ts';
import type { ScenarioEvent, TimelineEvent } from '../../server/domain/events.ts';
import type { NightState } from '../../server/domain/state.ts';
import { createSession, rememberToken } from '../api.ts';
import { connect, type SimClient } from '../sdk/index.ts';

export interface ConnectionEvents {
  snapshot(snapshot: Snapshot): void;
  events(events: readonly TimelineEvent[], before: NightState): void;
  clock(clock: ClockMessage): void;
  status(connected: boolean): void;
  moved(sessionId: string): void;
  gone(): void;
  faults(report: FaultReport): void;
}

export class Connection {
  private client: SimClient;
  /** Injected events and the like: kept so the map can draw them. */
  readonly live: ScenarioEvent[] = [];

  constructor(
    private sessionId: string,
    private readonly scenarioId: string,
    private token: string | undefined,
    private readonly on: ConnectionEvents,
  ) {
    this.client = this.open();
  }

  /** The session now watched (it changes when a lost session is started again). */
  get id(): string {
    return this.sessionId;
  }

  get isInstructor(): boolean {
    return this.token !== undefined;
  }

  get state(): NightState | undefined {
    return this.client.state;
  }

  get clock(): ClockMessage | undefined {
    return this.client.clock;
  }

  /** The scenario position now, extrapolated from the last clock. */
  positionMs(): number {
    return this.client.positionMs();
  }

  control(control: Parameters<ClientToServerEvents['control']>[0]): void {
    if (this.isInstructor) void this.client.control(control);
  }

  close(): void {
    this.client.close();
  }

  private open(): SimClient {
    const client = connect({ sessionId: this.sessionId, ...(this.token ? { token: this.token } : {}) });
    client.status$.subscribe((connected) => this.on.status(connected));
    client.error$.subscribe((error) => {
      if (error.error.code === 'session_not_found') void this.recreate();
    });
    client.snapshot$.subscribe((snapshot) => this.on.snapshot(snapshot));
    client.batch$.subscribe(({ events, before }) => {
      for (const e of events) if (e.id.startsWith('inject-')) this.live.push(e);
      this.on.events(events, before);
    });
    client.clock$.subscribe((clock) => this.on.clock(clock));
    client.faults$.subscribe((report) => this.on.faults(report));
    return client;
  }

  private recreating = false;

  private async recreate(): Promise<void> {
    if (this.recreating) return;
    if (!this.token) {
      this.client.close();
      this.on.gone();
      return;
    }
    this.recreating = true;
    try {
      const clock = this.client.clock;
      const position = Math.floor(this.client.positionMs());
      const created = await createSession({ scenarioId: this.scenarioId, positionMs: position, speed: clock?.speed ?? 1, autoplay: clock?.playing ?? true });
      rememberToken(created.id, created.instructorToken);
      this.sessionId = created.id;
      this.token = created.instructorToken;
      this.on.moved(created.id);
      this.client.close();
      this.client = this.open();
    } catch {
      // The server is still down: try again on the next refusal.
      setTimeout(() => {
        this.recreating = false;
        this.client.socket.connect();
      }, 2000);
      return;
    }
    this.recreating = false;
  }
}
