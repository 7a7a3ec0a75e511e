/**
 * One live replay: a scenario, its engine and clock, the state, the participants, and the
 * numbered sequence of everything it broadcasts. It knows nothing of sockets or HTTP: its
 * messages go to a `SessionSink`, and its callers are the transport adapters.
 *
 * Lifecycle: created by the registry, driven by controls, reaped when idle (nobody connected
 * for a while), disposed on shutdown.
 */
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { ApiError, parseOr } from '../contract/errors.ts';
import type { ClockMessage, DrillMessage, FeedTimes, Roster, SessionKind, SessionSpec, Snapshot, RecentEvent, TraineeStatus } from '../contract/session.ts';
import type { ClockState, Control } from '../domain/control.ts';
import { describeEvent } from '../domain/describe.ts';
import { injectedEventSchema, type ScenarioEvent, type TimelineEvent } from '../domain/events.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { NightState } from '../domain/state.ts';
import { formatIsoInZone } from '../domain/time.ts';
import { ReplayEngine, type EngineOutput } from '../engine/replay.ts';
import type { Timeline } from '../engine/timeline.ts';
import { Drill } from './drill.ts';
import { unawaited, type DrillStore, type LoadedDrill, type StoreFailure } from './drill-store.ts';
import { ItemLog, type LoggedMessage } from './item-log.ts';
import type { Participant, ShelterResponse } from './participants.ts';
import { Attempts, Bucket, DEFAULT_QUOTAS, tooMany, type Quotas } from './quotas.ts';
import type { SessionSink } from './sink.ts';

/** Events a snapshot lists in `recent`: enough for a feed to start from. */
export const RECENT_EVENTS = 50;

export interface SessionOptions extends Readonly<Pick<SessionSpec, 'id' | 'joinCode' | 'instructorToken' | 'speed' | 'positionMs' | 'autoplay' | 'loop'>> {
  readonly kind: SessionKind;
  readonly scenario: Scenario;
  readonly timeline: Timeline;
  readonly sink: SessionSink;
  readonly scheduler?: SchedulerLike;
  readonly logCapacity?: number;
  /** How the compatible feeds and CAP date things: the replay's present as now, or the night's own times. */
  readonly feedTimes?: FeedTimes;
  readonly quotas?: Quotas;
  /**
   * Where each broadcast item is also written, with where the engine stood, before it is sent:
   * with several nodes, the shared log that lets any node resume a client and lets another node
   * take the session over (cluster/stream-log.ts). Absent in one process.
   */
  readonly journal?: SessionJournal;
  /** Taken over from another node: the last item's seq and the engine's cursor then. */
  readonly resume?: { readonly seq: number; readonly cursor: number | undefined };
  /**
   * Drills: where they are kept, the regions trainees may pick, (on restart) what was kept, and
   * where writes nobody waits for (the clock, alerts) report a failure.
   */
  readonly drill?: { readonly store: DrillStore; readonly regions: readonly string[]; readonly restored?: LoadedDrill; readonly failed: StoreFailure };
}

/** Where the engine stood when an item was broadcast: enough to carry on from it elsewhere. */
export interface JournalMark {
  readonly cursor: number;
  readonly clock: ClockState;
}

export interface SessionJournal {
  /** A broadcast item (events or a clock), in seq order. */
  item(message: LoggedMessage, mark: JournalMark): void;
  /** The state was replaced after item `seq` (a seek, a step back, a loop). */
  jump(seq: number, mark: JournalMark): void;
}

/** What feeds derived from the night (compatible APIs, CAP) read: they fold it themselves. */
export interface PlayedNight {
  /** The state before the first event: alerts already on at the start, with `sinceMs` <= 0. */
  readonly initial: NightState;
  /** Every event of this replay, injected ones included; the first `cursor` have been applied. */
  readonly events: readonly ScenarioEvent[];
  readonly cursor: number;
}

export class Session {
  readonly id: string;
  readonly kind: SessionKind;
  readonly scenario: Scenario;
  readonly joinCode: string;
  readonly instructorToken: string;
  readonly feedTimes: FeedTimes;
  /** The trainees and their answers: drills only. */
  readonly drill: Drill | undefined;
  readonly createdAtMs: number;
  lastActivityMs: number;
  /** Sockets currently connected to the session, any role. */
  connections = 0;

  private readonly engine: ReplayEngine;
  private readonly log: ItemLog;
  private readonly scheduler: SchedulerLike;
  private readonly subscription: Subscription;
  private seq = 0;
  private injected = 0;
  /** Events broadcast since the last jump, newest last: their seqs go into snapshots. */
  private recentBroadcast: TimelineEvent[] = [];
  private disposed = false;
  private readonly quotas: Quotas;
  private readonly injects: Attempts;
  private readonly admissions: Bucket;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.scenario = options.scenario;
    this.joinCode = options.joinCode;
    this.instructorToken = options.instructorToken;
    this.feedTimes = options.feedTimes ?? 'present';
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.createdAtMs = this.scheduler.now();
    this.lastActivityMs = this.createdAtMs;
    this.log = new ItemLog(options.logCapacity);
    this.quotas = options.quotas ?? DEFAULT_QUOTAS;
    const now = () => this.scheduler.now();
    this.injects = new Attempts(this.quotas.injectsPerMinute, now, false);
    this.admissions = new Bucket(this.quotas.traineesPerSecond, this.quotas.traineeBurst, now);
    this.engine = new ReplayEngine(options.timeline, {
      scheduler: this.scheduler,
      speed: options.speed,
      positionMs: options.positionMs,
      loop: options.loop,
    });
    const restored = options.drill?.restored;
    if (restored) this.replayInjected(restored.injected, options.positionMs);
    this.drill = options.drill
      ? new Drill({
          sessionId: this.id,
          store: options.drill.store,
          regions: options.drill.regions,
          sink: options.sink,
          scheduler: this.scheduler,
          state: () => this.engine.state,
          positionMs: () => this.engine.clock.positionMs,
          resumed: restored !== undefined,
          failed: options.drill.failed,
        })
      : undefined;
    if (restored) this.drill!.restore(restored);
    if (options.resume) {
      this.seq = options.resume.seq;
      // Clients up to date resume from here; older ones get the earlier items from the shared log.
      if (this.seq > 0) this.log.barrier(this.seq - 1);
      if (options.resume.cursor !== undefined) this.engine.restoreCursor(options.resume.cursor);
    }
    this.subscription = this.engine.output$.subscribe((output) => this.onOutput(output));
    if (options.autoplay) this.engine.apply({ action: 'play' });
  }

  get currentSeq(): number {
    return this.seq;
  }

  get clock(): ClockState {
    return this.engine.clock;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  touch(): void {
    this.lastActivityMs = this.scheduler.now();
  }

  control(control: Control): ClockState {
    this.touch();
    const result = this.engine.apply(control);
    if (!result.ok) throw new ApiError('invalid_control', result.error.message);
    return result.clock;
  }

  /** An instructor's ad-hoc event, validated, placed at the current position and broadcast; in a drill, answered once committed. */
  async inject(input: unknown): Promise<TimelineEvent> {
    this.touch();
    const parsed = parseOr(injectedEventSchema, input, 'invalid_request', 'event');
    if (this.injected >= this.quotas.injectsPerSession) throw tooMany(`a session may inject ${this.quotas.injectsPerSession} events in all`, 3_600_000);
    const wait = this.injects.blockedFor('inject') || this.injects.record('inject');
    if (wait > 0) throw tooMany(`at most ${this.quotas.injectsPerMinute} injected events a minute`, wait);
    const before = this.seq;
    this.injected += 1;
    const n = this.injected;
    const made = this.engine.inject((positionMs) => {
      const { text, note, ...fields } = parsed;
      const base = {
        ...fields,
        id: `inject-${n}`,
        atMs: positionMs,
        time: formatIsoInZone(this.scenario.startMs + positionMs, this.scenario.timeZone),
        reconstructed: true,
        note: note ?? 'injected by the instructor during the drill',
      };
      return { ...base, text: text ?? describeEvent({ ...base, text: { en: '' } } as ScenarioEvent) } as ScenarioEvent;
    });
    const broadcast = this.recentBroadcast.at(-1);
    if (made) await this.drill?.store.addInject(this.id, n, made);
    if (!broadcast || broadcast.seq <= before) throw new ApiError('internal', 'the injected event was not broadcast');
    return broadcast;
  }

  /** The instructor's message to every trainee, or to one region's. */
  post(text: string, region: string | undefined): DrillMessage {
    this.touch();
    const wait = this.injects.blockedFor('inject') || this.injects.record('inject');
    if (wait > 0) throw tooMany(`at most ${this.quotas.injectsPerMinute} injects and messages a minute`, wait);
    const message: DrillMessage = { text, region: region ?? null, atMs: this.engine.clock.positionMs };
    this.options.sink.message(this.id, message);
    return message;
  }

  /** What a participant joining now needs: the whole state at the current position. */
  snapshot(): Snapshot {
    const state = this.engine.state;
    const cursor = this.engine.cursor;
    const seqById = new Map(this.recentBroadcast.map((e) => [e.id, e.seq]));
    const recent: RecentEvent[] = this.engine.eventsBetween(Math.max(0, cursor - RECENT_EVENTS), cursor).map((e) => {
      const seq = seqById.get(e.id);
      return seq === undefined ? e : { ...e, seq };
    });
    return {
      seq: this.seq,
      session: { id: this.id, kind: this.kind, resumed: this.drill?.resumed ?? false },
      scenario: {
        id: this.scenario.id,
        title: this.scenario.title,
        start: this.scenario.start,
        timeZone: this.scenario.timeZone,
        durationMs: this.engine.clock.durationMs,
      },
      clock: { ...this.engine.clock, seq: this.seq },
      regions: state.regions,
      counters: state.counters,
      tracks: state.tracks,
      jetsScrambled: state.jetsScrambled,
      closedAirports: state.closedAirports,
      carriersAirborne: state.carriersAirborne,
      recent,
    };
  }

  played(): PlayedNight {
    return { initial: this.engine.initialState, events: this.engine.events, cursor: this.engine.cursor };
  }

  /** The messages after `lastSeq`, or undefined when a snapshot must be sent instead. */
  missedSince(lastSeq: number): LoggedMessage[] | undefined {
    return this.log.since(lastSeq, this.seq);
  }

  // Participants --------------------------------------------------------------------------

  /** Admits a trainee; resolves once it is committed. */
  async joinTrainee(name: string, region: string): Promise<Participant> {
    const drill = this.requireDrill();
    const wait = this.admissions.take();
    if (wait > 0) throw tooMany(`this drill admits ${this.quotas.traineesPerSecond} trainees a second; try again shortly`, wait);
    this.touch();
    return drill.join(name, region);
  }

  connect(participant?: Participant): void {
    this.connections += 1;
    if (participant) {
      participant.connections += 1;
      this.drill?.presenceChanged(participant);
    }
    this.touch();
  }

  disconnect(participant?: Participant): void {
    this.connections = Math.max(0, this.connections - 1);
    if (participant) {
      participant.connections = Math.max(0, participant.connections - 1);
      this.drill?.presenceChanged(participant);
    }
    this.touch();
  }

  /** Records and commits a trainee's answer to its open alert, then resolves: the caller acknowledges it. */
  async shelter(participant: Participant): Promise<ShelterResponse> {
    this.touch();
    return this.requireDrill().answer(participant);
  }

  traineeStatus(participant: Participant): TraineeStatus {
    return this.requireDrill().status(participant);
  }

  roster(): Roster {
    return this.requireDrill().roster();
  }

  requireDrill(): Drill {
    if (!this.drill) throw new ApiError('forbidden', 'this session is not a drill');
    return this.drill;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.unsubscribe();
    this.engine.dispose();
    this.drill?.dispose();
  }

  /** A resumed drill's injected events, put back where they were, then the clock where it was. */
  private replayInjected(injected: readonly ScenarioEvent[], positionMs: number): void {
    for (const event of injected) {
      this.engine.apply({ action: 'seek', positionMs: event.atMs });
      this.engine.inject(() => event);
    }
    this.injected = injected.length;
    this.engine.apply({ action: 'seek', positionMs });
  }

  private mark(): JournalMark {
    return { cursor: this.engine.cursor, clock: this.engine.clock };
  }

  private saveClock(): void {
    const { positionMs, speed, playing, loop } = this.engine.clock;
    if (this.options.drill) unawaited(this.options.drill.store.saveClock(this.id, { positionMs, speed, playing, loop }), 'clock', this.options.drill.failed);
  }

  private onOutput(output: EngineOutput): void {
    const sink = this.options.sink;
    switch (output.kind) {
      case 'events': {
        const events: TimelineEvent[] = output.events.map((e) => ({ ...e, seq: ++this.seq }));
        this.log.append({ kind: 'events', events });
        this.options.journal?.item({ kind: 'events', events }, this.mark());
        // Only the last RECENT_EVENTS can matter; a long batch is not spread into push().
        for (const e of events.length > RECENT_EVENTS ? events.slice(-RECENT_EVENTS) : events) this.recentBroadcast.push(e);
        if (this.recentBroadcast.length > RECENT_EVENTS * 2) this.recentBroadcast = this.recentBroadcast.slice(-RECENT_EVENTS);
        sink.events(this.id, events);
        if (this.drill) {
          const regions = new Set<string>();
          for (const e of events) if (e.type === 'alert.start' || e.type === 'alert.end') regions.add(e.region);
          if (regions.size) this.drill.alertsChanged(regions);
        }
        break;
      }
      case 'clock': {
        const clock: ClockMessage = { ...output.clock, seq: ++this.seq };
        this.log.append({ kind: 'clock', clock });
        this.options.journal?.item({ kind: 'clock', clock }, this.mark());
        sink.clock(this.id, clock);
        this.saveClock();
        break;
      }
      case 'jump':
        this.log.barrier(this.seq);
        this.options.journal?.jump(this.seq, this.mark());
        this.recentBroadcast = [];
        sink.snapshot(this.id, this.snapshot());
        this.drill?.alertsChanged();
        break;
    }
  }
}
