/**
 * One live replay: a scenario, its engine and clock, the state, the participants, and the
 * numbered sequence of everything it broadcasts. It knows nothing of sockets or HTTP: its
 * messages go to a `SessionSink`, and its callers are the transport adapters.
 *
 * Lifecycle: created by the registry, driven by controls, reaped when idle (nobody connected
 * for a while), disposed on shutdown. What it broadcasts, numbered, logged and journalled, goes
 * out through broadcast.ts; its snapshot is assembled in snapshot.ts, and the instructor's
 * injects and their allowance are in injects.ts.
 */
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { ApiError, parseOr } from '../contract/errors.ts';
import type { DrillMessage, FeedTimes, Roster, SessionKind, SessionSpec, Snapshot, TraineeStatus } from '../contract/session.ts';
import type { ClockState, Control } from '../domain/control.ts';
import { injectedEventSchema, type ScenarioEvent, type TimelineEvent } from '../domain/events.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { NightState } from '../domain/state.ts';
import { ReplayEngine, type EngineOutput } from '../engine/replay.ts';
import type { Timeline } from '../engine/timeline.ts';
import { Broadcast, type JournalMark, type SessionJournal } from './broadcast.ts';
import { Drill } from './drill.ts';
import { unawaited, type DrillStore, type LoadedDrill, type StoreFailure } from './drill-store.ts';
import { InjectAllowance, injectedEvent } from './injects.ts';
import type { LoggedMessage } from './item-log.ts';
import type { Participant, ShelterResponse } from './participants.ts';
import { Bucket, DEFAULT_QUOTAS, tooMany, type Quotas } from './quotas.ts';
import type { SessionSink } from './sink.ts';
import { snapshotOf } from './snapshot.ts';

export { RECENT_EVENTS, type JournalMark, type SessionJournal } from './broadcast.ts';

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
  private readonly out: Broadcast;
  private readonly scheduler: SchedulerLike;
  private readonly subscription: Subscription;
  private disposed = false;
  private readonly quotas: Quotas;
  private readonly injects: InjectAllowance;
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
    this.out = new Broadcast({ sessionId: this.id, sink: options.sink, logCapacity: options.logCapacity, journal: options.journal, mark: () => this.mark() });
    this.quotas = options.quotas ?? DEFAULT_QUOTAS;
    const now = () => this.scheduler.now();
    this.injects = new InjectAllowance(this.quotas, now);
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
      this.out.resumeAfter(options.resume.seq);
      if (options.resume.cursor !== undefined) this.engine.restoreCursor(options.resume.cursor);
    }
    this.subscription = this.engine.output$.subscribe((output) => this.onOutput(output));
    if (options.autoplay) this.engine.apply({ action: 'play' });
  }

  get currentSeq(): number {
    return this.out.currentSeq;
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
    const n = this.injects.event();
    const before = this.out.currentSeq;
    const made = this.engine.inject((positionMs) => injectedEvent(parsed, n, positionMs, this.scenario));
    const broadcast = this.out.latest();
    if (made) await this.drill?.store.addInject(this.id, n, made);
    if (!broadcast || broadcast.seq <= before) throw new ApiError('internal', 'the injected event was not broadcast');
    return broadcast;
  }

  /** The instructor's message to every trainee, or to one region's. */
  post(text: string, region: string | undefined): DrillMessage {
    this.touch();
    this.injects.message();
    const message: DrillMessage = { text, region: region ?? null, atMs: this.engine.clock.positionMs };
    this.options.sink.message(this.id, message);
    return message;
  }

  /** What a participant joining now needs: the whole state at the current position. */
  snapshot(): Snapshot {
    return snapshotOf({
      session: { id: this.id, kind: this.kind, resumed: this.drill?.resumed ?? false },
      scenario: this.scenario,
      engine: this.engine,
      seq: this.out.currentSeq,
      recentSeqs: this.out.recentSeqs(),
    });
  }

  played(): PlayedNight {
    return { initial: this.engine.initialState, events: this.engine.events, cursor: this.engine.cursor };
  }

  /** The messages after `lastSeq`, or undefined when a snapshot must be sent instead. */
  missedSince(lastSeq: number): LoggedMessage[] | undefined {
    return this.out.missedSince(lastSeq);
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
    this.injects.restored(injected.length);
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
    switch (output.kind) {
      case 'events': {
        const events = this.out.events(output.events);
        if (this.drill) {
          const regions = new Set<string>();
          for (const e of events) if (e.type === 'alert.start' || e.type === 'alert.end') regions.add(e.region);
          if (regions.size) this.drill.alertsChanged(regions);
        }
        break;
      }
      case 'clock':
        this.out.clock(output.clock);
        this.saveClock();
        break;
      case 'jump':
        this.out.jump(() => this.snapshot());
        this.drill?.alertsChanged();
        break;
    }
  }
}
