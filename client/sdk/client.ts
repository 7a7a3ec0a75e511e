/**
 * The protocol client: the one way anything (the page, the tests, the benchmark, a team's own
 * alert app) talks to a session over socket.io. It turns the wire into typed RxJS Observables:
 * events one by one and exactly once, in `seq` order; the clock; the state folded with the same
 * `reduce` as the server; and the gaps it could not fill.
 *
 * Recovery, in this order: an early item waits up to `gapWaitMs` for the ones before it; a hole
 * still open then (or more than `maxHeld` items waiting) makes the client reconnect with
 * `lastSeq`, which the server answers with exactly the missed items; when the server can no
 * longer send them it answers with a snapshot, and the client reports the hole on `gap$`.
 * Reconnects after a dropped connection carry `lastSeq` too, so nothing is missed or doubled.
 *
 * Imports only the contract, the domain and socket.io-client: it runs in Node and in a page.
 */
import { ReplaySubject, Subject, type Observable } from 'rxjs';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { ErrorBody } from '../../server/contract/errors.ts';
import type { FaultReport } from '../../server/contract/faults.ts';
import type { ClockMessage, DrillMessage, Roster, Snapshot, TraineeStatus } from '../../server/contract/session.ts';
import { stateFromSnapshot } from '../../server/contract/snapshot-state.ts';
import type { Ack } from '../../server/contract/socket.ts';
import type { Control, ClockState } from '../../server/domain/control.ts';
import type { TimelineEvent } from '../../server/domain/events.ts';
import { reduce } from '../../server/domain/reduce.ts';
import type { NightState } from '../../server/domain/state.ts';
import { Sequencer, type SequencedItem } from './sequencer.ts';
import type { ClientStats, ConnectOptions, EventBatch, Gap, SimSocket } from './types.ts';

export type { ClientStats, ConnectOptions, EventBatch, Gap, SimSocket } from './types.ts';

export class SimClient {
  readonly socket: SimSocket;
  /** The folded state; undefined until the first snapshot. */
  state: NightState | undefined;
  clock: ClockMessage | undefined;
  readonly stats: ClientStats = { duplicates: 0, reordered: 0, resyncs: 0, connects: 0 };

  readonly snapshot$: Observable<Snapshot>;
  readonly event$: Observable<TimelineEvent>;
  readonly batch$: Observable<EventBatch>;
  readonly clock$: Observable<ClockMessage>;
  /** The latest state: late subscribers get it at once. */
  readonly state$: Observable<NightState>;
  readonly gap$: Observable<Gap>;
  /** true on connect, false on disconnect. */
  readonly status$: Observable<boolean>;
  readonly roster$: Observable<Roster>;
  /** The faults the session (or this connection) applies; the latest is replayed. */
  readonly faults$: Observable<FaultReport>;
  /** A refused connection's typed error (`connect_error`). */
  readonly error$: Observable<ErrorBody & { message: string }>;
  readonly bye$: Observable<{ reason: string }>;
  /** Every snapshot, events and clock message as it came off the wire, before ordering. */
  readonly raw$: Observable<{ name: 'snapshot' | 'events' | 'clock'; payload: unknown }>;
  /** To a trainee that has just joined: its own id and secret, to come back as itself. */
  readonly welcome$: Observable<{ participantId: string; participantToken: string }>;
  /** A trainee's own standing (waiting, alerted, sheltered, missed), whenever it changes. */
  readonly self$: Observable<TraineeStatus>;
  /** The instructor's messages, to everyone or to this trainee's region. */
  readonly message$: Observable<DrillMessage>;
  /** The session was deleted by its instructor: nothing more will come. */
  readonly ended$: Observable<{ reason: string }>;

  private readonly subjects = {
    snapshot: new Subject<Snapshot>(),
    event: new Subject<TimelineEvent>(),
    batch: new Subject<EventBatch>(),
    clock: new Subject<ClockMessage>(),
    state: new ReplaySubject<NightState>(1),
    gap: new Subject<Gap>(),
    status: new Subject<boolean>(),
    roster: new Subject<Roster>(),
    faults: new ReplaySubject<FaultReport>(1),
    error: new Subject<ErrorBody & { message: string }>(),
    bye: new Subject<{ reason: string }>(),
    welcome: new Subject<{ participantId: string; participantToken: string }>(),
    raw: new Subject<{ name: 'snapshot' | 'events' | 'clock'; payload: unknown }>(),
    self: new ReplaySubject<TraineeStatus>(1),
    message: new Subject<DrillMessage>(),
    ended: new Subject<{ reason: string }>(),
  };
  private readonly sequencer = new Sequencer();
  private clockAtMs = 0;
  private holeTimer: ReturnType<typeof setTimeout> | undefined;
  private holeTries = 0;
  private participant: { participantId: string; participantToken: string } | undefined;
  private firstSnapshot: Promise<Snapshot>;
  private readonly gapWaitMs: number;
  private readonly maxHeld: number;

  constructor(private readonly options: ConnectOptions) {
    this.gapWaitMs = options.gapWaitMs ?? 1000;
    this.maxHeld = options.maxHeld ?? 500;
    this.sequencer.lastSeq = options.lastSeq;
    const s = this.subjects;
    this.snapshot$ = s.snapshot.asObservable();
    this.event$ = s.event.asObservable();
    this.batch$ = s.batch.asObservable();
    this.clock$ = s.clock.asObservable();
    this.state$ = s.state.asObservable();
    this.gap$ = s.gap.asObservable();
    this.status$ = s.status.asObservable();
    this.roster$ = s.roster.asObservable();
    this.faults$ = s.faults.asObservable();
    this.error$ = s.error.asObservable();
    this.bye$ = s.bye.asObservable();
    this.welcome$ = s.welcome.asObservable();
    this.raw$ = s.raw.asObservable();
    this.self$ = s.self.asObservable();
    this.message$ = s.message.asObservable();
    this.ended$ = s.ended.asObservable();
    this.participant = options.participant;
    this.firstSnapshot = new Promise((resolve, reject) => {
      s.snapshot.subscribe({ next: resolve });
      s.error.subscribe({ next: (e) => reject(Object.assign(new Error(e.message), { data: { error: e.error } })) });
    });
    this.firstSnapshot.catch(() => {});
    const ioOptions: Partial<ManagerOptions & SocketOptions> = {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      ...options.socket,
      // A function, so every reconnect carries the latest seq (and a trainee's own id).
      auth: (send) => send(this.handshake()),
    };
    this.socket = options.url ? io(options.url, ioOptions) : io(ioOptions);
    this.listen();
  }

  /** The last item received in order (what a resume starts after). */
  get lastSeq(): number | undefined {
    return this.sequencer.lastSeq;
  }

  /** Resolves with the first snapshot (or the resumed state); rejects if the connection is refused. */
  ready(): Promise<Snapshot> {
    return this.firstSnapshot;
  }

  /** The scenario position now, extrapolated from the last clock at its speed. */
  positionMs(nowMs = performance.now()): number {
    const c = this.clock;
    if (!c) return 0;
    if (!c.playing) return c.positionMs;
    return Math.min(c.durationMs, c.positionMs + (nowMs - this.clockAtMs) * c.speed);
  }

  control(control: Control): Promise<Ack<{ clock: ClockState }>> {
    return this.ask('control', control);
  }

  inject(event: unknown): Promise<Ack<{ event: TimelineEvent }>> {
    return this.ask('inject', { event });
  }

  /** A trainee's answer to the alert its region is under now: acknowledged once it is stored. */
  shelter(): Promise<Ack<{ alertAtMs: number; responseMs: number; responseWallMs: number }>> {
    return this.ask('shelter', {});
  }

  /** The instructor's message to everyone, or to one region's trainees. */
  post(text: string, region?: string): Promise<Ack> {
    return this.ask('post', { text, ...(region ? { region } : {}) });
  }

  close(): void {
    clearTimeout(this.holeTimer);
    this.socket.close();
    for (const subject of Object.values(this.subjects)) subject.complete();
  }

  private ask<T extends object>(name: 'control' | 'inject' | 'shelter' | 'post', payload: unknown): Promise<Ack<T>> {
    return new Promise((resolve) => (this.socket.emit as (e: string, p: unknown, ack: (r: Ack<T>) => void) => void)(name, payload, resolve));
  }

  private handshake(): Record<string, unknown> {
    const o = this.options;
    const lastSeq = this.sequencer.lastSeq;
    return {
      sessionId: o.sessionId,
      role: o.role ?? (o.token ? 'instructor' : 'viewer'),
      ...(o.token ? { token: o.token } : {}),
      ...(this.participant ? this.participant : { ...(o.joinCode ? { joinCode: o.joinCode } : {}), ...(o.name ? { name: o.name } : {}), ...(o.region ? { region: o.region } : {}) }),
      ...(lastSeq !== undefined ? { lastSeq } : {}),
      ...(o.faults ? { faults: o.faults } : {}),
    };
  }

  private listen(): void {
    const s = this.subjects;
    const socket = this.socket;
    socket.on('connect', () => {
      this.stats.connects += 1;
      s.status.next(true);
    });
    socket.on('disconnect', () => s.status.next(false));
    socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
      s.status.next(false);
      if (error.data?.error) s.error.next({ message: error.message, error: error.data.error });
    });
    socket.on('welcome', (welcome) => {
      this.participant = welcome;
      s.welcome.next(welcome);
    });
    socket.on('bye', (bye) => s.bye.next(bye));
    socket.on('self', (status) => s.self.next(status));
    socket.on('message', (message) => s.message.next(message));
    socket.on('ended', (info) => s.ended.next(info));
    socket.on('roster', (roster) => s.roster.next(roster));
    socket.on('faults', (report) => s.faults.next(report));
    socket.on('snapshot', (snapshot) => {
      if (s.raw.observed) s.raw.next({ name: 'snapshot', payload: snapshot });
      this.onSnapshot(snapshot);
    });
    socket.on('events', (events) => {
      if (s.raw.observed) s.raw.next({ name: 'events', payload: events });
      this.onItems(events.map((event) => ({ kind: 'event', event })));
    });
    socket.on('clock', (clock) => {
      if (s.raw.observed) s.raw.next({ name: 'clock', payload: clock });
      this.onItems([{ kind: 'clock', clock }]);
    });
  }

  private onSnapshot(snapshot: Snapshot): void {
    const before = this.sequencer.lastSeq;
    if (before !== undefined && snapshot.seq > before) {
      // The server replaced what this client lacked with the whole state: those items are gone.
      this.subjects.gap.next({ fromSeq: before + 1, toSeq: snapshot.seq, resolvedBy: 'snapshot' });
    }
    if (this.options.fold !== false) this.state = stateFromSnapshot(snapshot);
    this.setClock(snapshot.clock);
    this.subjects.snapshot.next(snapshot);
    if (this.state) this.subjects.state.next(this.state);
    this.deliver(this.sequencer.reset(snapshot.seq));
  }

  private onItems(items: SequencedItem[]): void {
    const ready: SequencedItem[] = [];
    for (const item of items) ready.push(...this.sequencer.push(item));
    this.stats.duplicates = this.sequencer.duplicates;
    this.stats.reordered = this.sequencer.reordered;
    this.deliver(ready);
  }

  /** Hands on items in order: runs of events as one batch, clocks between them. */
  private deliver(items: readonly SequencedItem[]): void {
    let run: TimelineEvent[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const events = run;
      run = [];
      const before = this.state;
      let state = before;
      // Resumed from a given lastSeq, a client has events before it has a state to fold them on.
      if (state) for (const e of events) state = reduce(state, e);
      this.state = state;
      for (const e of events) this.subjects.event.next(e);
      if (!before || !state) return;
      this.subjects.batch.next({ events, before, state });
      this.subjects.state.next(state);
    };
    for (const item of items) {
      if (item.kind === 'event') run.push(item.event);
      else {
        flush();
        this.setClock(item.clock);
        this.subjects.clock.next(item.clock);
      }
    }
    flush();
    this.watchHole();
  }

  private setClock(clock: ClockMessage): void {
    this.clock = clock;
    // From when it arrived, on this machine's clock: skew between machines does not matter.
    this.clockAtMs = performance.now();
  }

  private watchHole(): void {
    if (!this.sequencer.hole()) {
      clearTimeout(this.holeTimer);
      this.holeTimer = undefined;
      this.holeTries = 0;
      return;
    }
    if (this.options.resync === false) {
      const hole = this.sequencer.hole()!;
      this.subjects.gap.next({ ...hole, resolvedBy: 'skipped' });
      this.deliver(this.sequencer.skipHole());
    } else if (this.sequencer.heldCount > this.maxHeld) this.fillHole();
    else this.holeTimer ??= setTimeout(() => this.fillHole(), this.gapWaitMs);
  }

  /** Asks again (a resume from `lastSeq`); after two tries, gives the hole up and reports it. */
  private fillHole(): void {
    clearTimeout(this.holeTimer);
    this.holeTimer = undefined;
    const hole = this.sequencer.hole();
    if (!hole) return;
    if (this.holeTries >= 2) {
      this.holeTries = 0;
      this.subjects.gap.next({ ...hole, resolvedBy: 'skipped' });
      this.deliver(this.sequencer.skipHole());
      return;
    }
    this.holeTries += 1;
    this.stats.resyncs += 1;
    if (this.socket.connected) this.socket.disconnect().connect();
    this.holeTimer = setTimeout(() => this.fillHole(), this.gapWaitMs);
  }
}

/** Connects to a session. `await client.ready()` for the first snapshot. */
export function connect(options: ConnectOptions): SimClient {
  return new SimClient(options);
}
