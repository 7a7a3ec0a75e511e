/**
 * The live sessions of this process: creating them, finding them (by id or join code), and
 * closing those nobody uses any more. What a session is made from is in specs.ts, the counts by
 * address in per-address.ts, and the idle rule and its timer in idle.ts.
 */
import { ApiError } from '../contract/errors.ts';
import type { CreateSession, SessionSpec } from '../contract/session.ts';
import type { ScenarioStore } from '../scenario/store.ts';
import { NULL_DRILL_STORE, type DrillStore, type LoadedDrill, type StoreFailure } from './drill-store.ts';
import { drillRegions } from './drill-regions.ts';
import { DEFAULT_IDLE_MS, IdleReaper, isIdle } from './idle.ts';
import { ConnectionCounts, CreatorCounts } from './per-address.ts';
import { DEFAULT_QUOTAS, JoinGuard, tooMany, type Quotas } from './quotas.ts';
import { Session, type SessionJournal } from './session.ts';
import type { SessionSink } from './sink.ts';
import { newSpec, normalizeJoinCode, optionsOfSpec, specOfKept } from './specs.ts';

export type { SessionSpec };
export { DEFAULT_IDLE_MS, DRILL_IDLE_MS } from './idle.ts';
export { normalizeJoinCode, specOfKept } from './specs.ts';

/** Sessions a process runs at most: each costs timers and memory. */
export const MAX_SESSIONS = 1_000;

export interface RegistryOptions {
  readonly scenarios: ScenarioStore;
  readonly sink: SessionSink;
  readonly idleMs?: number;
  readonly now?: () => number;
  /** Items each session keeps for resuming clients. */
  readonly logCapacity?: number;
  readonly quotas?: Partial<Quotas>;
  /** Sessions in all (default `MAX_SESSIONS`). */
  readonly maxSessions?: number;
  /** Where drills are kept (default: nowhere, they live in memory only). */
  readonly drills?: DrillStore;
  /** With several nodes: told of each session run or dropped here, and its shared journal. */
  readonly cluster?: RegistryCluster;
  /** Where a drill write nobody waited for (the clock, alerts) reports a failure (default: stderr). */
  readonly storeFailed?: StoreFailure;
}

export type StopReason = 'reaped' | 'erased' | 'closing' | 'released';

export interface RegistryCluster {
  /** A session now runs on this node (made here, or taken over); resolves once every node can find it. */
  running(spec: SessionSpec, session: Session): Promise<void>;
  /**
   * It stopped here: `reaped` (idle) and `erased` (deleted) end it everywhere; `closing` (this
   * process shuts down) and `released` (another node owns it now) leave it for another node.
   */
  stopped(session: Session, why: StopReason): void;
  journal(sessionId: string): SessionJournal;
}

/** A full server frees a slot when an idle session is reaped: about one reaper round. */
const SERVER_FULL_RETRY_S = 60;

export class SessionRegistry {
  private readonly byId = new Map<string, Session>();
  private readonly byJoinCode = new Map<string, Session>();
  private readonly reaper: IdleReaper;
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly creators = new CreatorCounts();
  private readonly connections: ConnectionCounts;
  /** Sessions being made known to the other nodes. */
  private readonly registering = new Map<string, Promise<void>>();
  readonly quotas: Quotas;
  readonly joins: JoinGuard;
  sink: SessionSink;
  readonly drills: DrillStore;
  private readonly storeFailed: StoreFailure;

  constructor(private readonly options: RegistryOptions) {
    this.sink = options.sink;
    this.drills = options.drills ?? NULL_DRILL_STORE;
    this.storeFailed = options.storeFailed ?? ((error, write) => console.error(`drill store: the ${write} write failed:`, error));
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.now = options.now ?? Date.now;
    this.quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
    this.joins = new JoinGuard(this.quotas, this.now);
    this.connections = new ConnectionCounts(this.quotas, this.now);
    this.reaper = new IdleReaper(() => this.reapIdle(), this.idleMs);
    this.reaper.start();
  }

  get size(): number {
    return this.byId.size;
  }

  /** A session; a drill resolves once it is committed to the store, so the links handed out are kept. */
  async create(request: CreateSession, creator = 'local'): Promise<Session> {
    const session = this.open(request, creator);
    if (!session.drill) return session;
    const { positionMs, speed, playing, loop } = session.clock;
    try {
      await this.drills.createDrill({
        id: session.id,
        scenarioId: session.scenario.id,
        joinCode: session.joinCode,
        instructorToken: session.instructorToken,
        regions: session.drill.regions,
        createdAtMs: this.now(),
        creator,
        clock: { positionMs, speed, playing, loop },
      });
    } catch (error) {
      this.remove(session, 'erased');
      throw error;
    }
    return session;
  }

  /** A session in memory only, at once: for watch sessions, which nothing keeps (`create` for drills). */
  open(request: CreateSession, creator = 'local'): Session {
    const max = this.options.maxSessions ?? MAX_SESSIONS;
    if (this.creators.running(creator) >= this.quotas.sessionsPerAddress) {
      throw tooMany(`an address may run ${this.quotas.sessionsPerAddress} sessions at once; idle ones close after ${Math.round(this.idleMs / 60_000)} minutes`, SERVER_FULL_RETRY_S * 1000);
    }
    if (this.byId.size >= max) throw ApiError.busy('server_busy', `this server runs ${max} sessions already; try again later`, SERVER_FULL_RETRY_S);
    const stored = this.options.scenarios.require(request.scenarioId);
    if (request.kind !== 'drill' && request.regions) throw new ApiError('invalid_request', 'regions are chosen for drills only');
    if (request.positionMs > stored.scenario.durationMs) {
      throw new ApiError('invalid_request', `positionMs is beyond the end of the scenario (${stored.scenario.durationMs})`);
    }
    const regions = request.kind === 'drill' ? drillRegions(stored.scenario, stored.timeline.stateAt(0), request.regions) : [];
    const spec = newSpec(request, regions, (code) => this.byJoinCode.has(code));
    const session = this.build(spec);
    this.track(session, creator, spec);
    return session;
  }

  /**
   * Drills kept by the store, started again where they were: paused, marked as resumed, with
   * their trainees, answers, injected events, join code and instructor token. Returns how many;
   * those whose scenario is gone are reported through `warn` and left in the store.
   */
  async restore(warn: (message: string) => void, accept?: (drillId: string) => boolean): Promise<number> {
    let n = 0;
    for (const kept of await this.drills.loadDrills()) {
      if (!this.options.scenarios.get(kept.scenarioId)) {
        warn(`drill ${kept.id} not resumed: its scenario ${kept.scenarioId} is not loaded`);
        continue;
      }
      if (accept && !accept(kept.id)) continue;
      const spec = specOfKept(kept);
      const session = this.build({ ...spec, restored: kept });
      this.track(session, kept.creator, spec);
      n += 1;
    }
    return n;
  }

  /**
   * A session whose owner died, taken over by this node: built from its spec (and, for a drill,
   * what the store kept), carrying on from the last item the old owner logged.
   */
  adopt(spec: SessionSpec, resume: { seq: number; cursor: number | undefined; positionMs: number; speed: number; playing: boolean; loop: boolean }, restored?: LoadedDrill): Session {
    const session = this.build({ ...spec, positionMs: resume.positionMs, speed: resume.speed, autoplay: resume.playing, loop: resume.loop, ...(restored ? { restored } : {}) }, resume);
    this.track(session, spec.creator ?? 'cluster', spec);
    return session;
  }

  private build(spec: SessionSpec & { restored?: LoadedDrill }, resume?: { seq: number; cursor: number | undefined }): Session {
    const cluster = this.options.cluster;
    return new Session({
      ...optionsOfSpec(spec, this.options.scenarios.require(spec.scenarioId)),
      quotas: this.quotas,
      ...(this.options.logCapacity ? { logCapacity: this.options.logCapacity } : {}),
      ...(cluster ? { journal: cluster.journal(spec.id) } : {}),
      ...(resume ? { resume } : {}),
      ...(spec.kind === 'drill' ? { drill: { store: this.drills, regions: spec.regions, failed: this.storeFailed, ...(spec.restored ? { restored: spec.restored } : {}) } } : {}),
      // Through the registry, so a sink swapped in later (the socket server) reaches every session.
      sink: {
        events: (...args) => this.sink.events(...args),
        clock: (...args) => this.sink.clock(...args),
        snapshot: (...args) => this.sink.snapshot(...args),
        roster: (...args) => this.sink.roster(...args),
        self: (...args) => this.sink.self(...args),
        message: (...args) => this.sink.message(...args),
        ended: (...args) => this.sink.ended(...args),
      },
    });
  }

  private track(session: Session, creator: string, spec: SessionSpec): void {
    const registering = this.options.cluster?.running({ ...spec, creator }, session);
    if (registering) {
      this.registering.set(session.id, registering);
      void registering.finally(() => this.registering.delete(session.id));
    }
    this.byId.set(session.id, session);
    this.byJoinCode.set(session.joinCode, session);
    this.creators.added(session.id, creator);
  }

  /** The instructor deletes a drill: its clients are let go and everything kept of it is erased. */
  async erase(session: Session): Promise<void> {
    this.remove(session, 'erased');
    this.sink.ended(session.id, 'the instructor deleted this drill');
    await this.drills.deleteDrill(session.id);
  }

  /** Resolves once the other nodes can find session `id` (at once with one process). */
  registered(id: string): Promise<void> {
    return this.registering.get(id) ?? Promise.resolve();
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  require(id: string): Session {
    const session = this.byId.get(id);
    if (!session) throw new ApiError('session_not_found', `no session has the id "${id}"`);
    return session;
  }

  byCode(joinCode: string): Session | undefined {
    return this.byJoinCode.get(normalizeJoinCode(joinCode));
  }

  /**
   * The drill a join code opens, for `address`: wrong codes count against the address (and the
   * drill, when named), and past the allowance nothing is compared until the block ends.
   */
  joinByCode(address: string, joinCode: string | undefined, session?: Session): Session {
    this.joins.check(address, session?.id);
    const found = joinCode === undefined ? undefined : this.byCode(joinCode);
    if (!found || found.kind !== 'drill' || (session && found !== session)) {
      this.joins.failed(address, session?.id);
      throw new ApiError(session ? 'forbidden' : 'session_not_found', session ? 'the join code does not match this drill' : 'no drill has this join code');
    }
    return found;
  }

  /** Counts a socket connection from `address`; throws past the allowance. Pair with `released`. */
  connected(address: string): void {
    this.connections.connected(address);
  }

  released(address: string): void {
    this.connections.released(address);
  }

  all(): Session[] {
    return [...this.byId.values()];
  }

  remove(session: Session, why: StopReason = 'reaped'): void {
    session.dispose();
    if (!this.byId.delete(session.id)) return;
    this.options.cluster?.stopped(session, why);
    this.byJoinCode.delete(session.joinCode);
    this.creators.removed(session.id);
  }

  /** Closes the sessions idle now (idle.ts); returns how many. */
  reapIdle(): number {
    const nowMs = this.now();
    let reaped = 0;
    for (const session of this.byId.values()) {
      if (isIdle(session, nowMs, this.idleMs)) {
        this.remove(session);
        reaped += 1;
      }
    }
    return reaped;
  }

  close(): void {
    this.reaper.stop();
    for (const session of this.byId.values()) this.remove(session, 'closing');
  }
}
