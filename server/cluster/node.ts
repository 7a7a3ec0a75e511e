/**
 * This process as one node of several sharing a Redis (`REDIS_URL`). It runs the sessions it
 * owns and serves clients of the others:
 * - a session made here is owned here: its spec goes into the directory, its lease is taken and
 *   renewed every `leaseMs / 3`, its items go into its shared stream before they are broadcast;
 * - every `scanMs` the node looks for sessions whose lease lapsed (their owner died) and takes
 *   one over: built from its spec (and a drill from the shared store), carried on from the last
 *   logged item, so clients see at most a reconnect and a pause;
 * - a lease it fails to renew (another node took it) stops the session here and lets its local
 *   clients go, to reconnect to the new owner through any node.
 *
 * Lifecycle: `connect` (Redis, the shared secret), `attach` (the registry), `start(url)` (the
 * timers, once the HTTP server listens), `close`.
 */
import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import type { DrillStore } from '../sessions/drill-store.ts';
import { normalizeJoinCode, specOfKept, type RegistryCluster, type SessionRegistry, type SessionSpec, type StopReason } from '../sessions/registry.ts';
import type { Session, SessionJournal } from '../sessions/session.ts';
import { Directory } from './directory.ts';
import { forwardToOwner } from './forward.ts';
import { internalRoutes } from './internal-routes.ts';
import { DEFAULT_LEASE_MS, Leases } from './leases.ts';
import { NodeBook } from './nodes.ts';
import { KEY, clusterSecret, command, connectRedis, deleteIf, type Redis } from './redis.ts';
import type { SharedDefault } from '../transport/compat/sessions.ts';
import type { Registration } from '../webhooks/store.ts';
import { RemoteSessions } from './remote.ts';
import { StreamLog } from './stream-log.ts';

export interface ClusterOptions {
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly leaseMs?: number;
  /** How often sessions without an owner are looked for (default 0.5 s). */
  readonly scanMs?: number;
}

export class ClusterNode implements RegistryCluster {
  readonly nodeId = randomBytes(6).toString('base64url');
  readonly directory: Directory;
  readonly leases: Leases;
  readonly nodes: NodeBook;
  readonly stream: StreamLog;
  readonly remote: RemoteSessions;
  /** Makes this node's default session of the compatible feeds (set by the server). */
  makeCompatDefault: (() => string) | undefined;
  /** Given a session's webhooks before this node takes it over (set by the server). */
  adoptHooks: ((sessionId: string, registrations: readonly Registration[]) => void) | undefined;
  /** Called when this node took a session over: clients on every node are counted in again. */
  onAdopted: (sessionId: string) => void = () => {};
  /** Called when this node stops running a session another node now owns: let its clients go. */
  onReleased: (sessionId: string) => void = () => {};
  private registry: SessionRegistry | undefined;
  private drills: DrillStore | undefined;
  private readonly local = new Set<string>();
  private readonly adopting = new Set<string>();
  /** Sessions this node failed to take over, and when: left to others for a while. */
  private readonly failed = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private url = '';
  private closed = false;
  /** The compatible feeds' default session, as last read from Redis. */
  private compatDefault: string | undefined;

  private constructor(
    readonly redis: Redis,
    readonly secret: string,
    private readonly options: ClusterOptions,
  ) {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const warn = (error: unknown) => options.logger.warn({ err: error }, 'cluster: a Redis command failed');
    this.directory = new Directory(redis);
    this.leases = new Leases(redis, this.nodeId, leaseMs);
    this.nodes = new NodeBook(redis, leaseMs);
    this.stream = new StreamLog(redis, undefined, warn);
    this.remote = new RemoteSessions({ directory: this.directory, leases: this.leases, nodes: this.nodes, stream: this.stream, secret: this.secret });
  }

  static async connect(options: ClusterOptions): Promise<ClusterNode> {
    const redis = await connectRedis(options.redisUrl);
    return new ClusterNode(redis, await clusterSecret(redis), options);
  }

  /** socket.io's Redis Streams adapter on this Redis: every node's broadcasts reach every node's clients. */
  adapter(): ReturnType<typeof createAdapter> {
    const leaseMs = this.leases.leaseMs;
    return createAdapter(this.redis, { streamName: 'sim:io', heartbeatInterval: Math.max(250, Math.round(leaseMs / 3)), heartbeatTimeout: leaseMs });
  }

  attach(registry: SessionRegistry, drills: DrillStore): void {
    this.registry = registry;
    this.drills = drills;
  }

  internalRoutes() {
    return internalRoutes({ registry: this.requireRegistry(), nodeId: this.nodeId, secret: this.secret, missedSince: (id, seq) => this.stream.since(id, seq) });
  }

  /** The compatible feeds' one default session: the first node to make one offers it, the others use it. */
  sharedDefault(): SharedDefault {
    return {
      current: () => this.compatDefault,
      offer: (id) => {
        this.compatDefault ??= id;
        this.offerDefault(id).catch(() => {});
      },
    };
  }

  /** Offers `id` as the shared default; resolves with whichever one won. */
  private async offerDefault(id: string): Promise<string | undefined> {
    await command(this.redis, ['SET', KEY.compatDefault, id, 'NX']);
    return this.readDefault();
  }

  private async readDefault(): Promise<string | undefined> {
    const raw = await command(this.redis, ['GET', KEY.compatDefault]);
    let id = typeof raw === 'string' ? raw : undefined;
    // A default that was reaped (nobody used it for the idle time) is made again on next use.
    if (id && !this.local.has(id) && !(await this.directory.get(id))) {
      await deleteIf(this.redis, KEY.compatDefault, id);
      id = undefined;
    }
    this.compatDefault = id;
    return id;
  }

  /** The shared default, made here and offered when there is none; a loser of the race is dropped. */
  private async resolveDefault(): Promise<string | undefined> {
    const id = await this.readDefault();
    if (id || !this.makeCompatDefault) return id;
    const mine = this.makeCompatDefault();
    const winner = await this.offerDefault(mine);
    const loser = winner !== mine ? this.registry?.get(mine) : undefined;
    if (loser) this.registry!.remove(loser, 'reaped');
    return winner;
  }

  forward() {
    return forwardToOwner({
      compatDefault: () => this.resolveDefault(),
      isLocal: (id) => this.local.has(id),
      sessionOfCode: (code) => this.directory.sessionOfCode(normalizeJoinCode(code)),
      ownerUrl: (id) => this.remote.ownerUrl(id),
    });
  }

  /** Starts the heartbeat, lease renewal and takeover scan; `url` is where other nodes reach this one. */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.nodes.announce(this.nodeId, url);
    await this.seedDrills();
    const leaseMs = this.leases.leaseMs;
    const every = (ms: number, work: () => Promise<unknown>) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy || this.closed) return;
        busy = true;
        work()
          .catch((error: unknown) => this.options.logger.warn({ err: error }, 'cluster: a periodic task failed'))
          .finally(() => (busy = false));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(100, Math.round(leaseMs / 3)), () => this.renew());
    every(this.options.scanMs ?? 500, () => this.scan());
    await this.scan();
  }

  // RegistryCluster ------------------------------------------------------------------------

  running(spec: SessionSpec, session: Session): Promise<void> {
    this.local.add(session.id);
    const owned = this.adopting.has(spec.id) ? Promise.resolve(true) : this.leases.acquire(spec.id);
    return owned
      .then(() => this.directory.save(spec))
      .catch((error: unknown) => this.options.logger.warn({ err: error, session: spec.id }, 'cluster: the session could not be registered'));
  }

  stopped(session: Session, why: StopReason): void {
    this.local.delete(session.id);
    if (why === 'released') return;
    const id = session.id;
    const work = why === 'closing' ? this.leases.release(id) : Promise.all([this.directory.forget(id), this.stream.drop(id), this.leases.release(id)]);
    work.catch((error: unknown) => this.options.logger.warn({ err: error, session: id }, 'cluster: a stopped session was not cleared'));
  }

  journal(sessionId: string): SessionJournal {
    return this.stream.journal(sessionId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.nodes.forget(this.nodeId).catch(() => {});
  }

  /** After the registry closed (its leases released): the Redis connection. */
  async disconnect(): Promise<void> {
    await this.redis.quit().catch(() => {});
  }

  // Ownership ------------------------------------------------------------------------------

  private async renew(): Promise<void> {
    await this.nodes.announce(this.nodeId, this.url);
    const lost = await this.leases.renew([...this.local]);
    for (const id of lost) {
      const session = this.registry?.get(id);
      this.options.logger.warn({ session: id }, 'cluster: lease lost; another node runs this session now');
      if (session) this.registry!.remove(session, 'released');
      this.onReleased(id);
    }
  }

  private async scan(): Promise<void> {
    await this.readDefault();
    const candidates = (await this.directory.ids()).filter((id) => !this.local.has(id) && !this.adopting.has(id) && (this.failed.get(id) ?? 0) < Date.now() - 30_000);
    for (const id of await this.leases.unowned(candidates)) {
      if (this.closed) return;
      if (!(await this.leases.acquire(id))) continue;
      this.adopting.add(id);
      try {
        await this.adopt(id);
      } finally {
        this.adopting.delete(id);
      }
    }
  }

  private async adopt(id: string): Promise<void> {
    const registry = this.requireRegistry();
    const spec = await this.directory.get(id);
    if (!spec) return void (await this.leases.release(id));
    const restored = spec.kind === 'drill' ? (await this.drills?.loadDrills())?.find((d) => d.id === id) : undefined;
    if (spec.kind === 'drill' && !restored) {
      // Its trainees and answers are in a database this node cannot read (nodes without a shared
      // DATABASE_URL): left for a node that can, or for its own node when it comes back.
      this.options.logger.warn({ session: id }, 'cluster: a drill this node cannot load (not in its database); left to another node');
      this.failed.set(id, Date.now());
      return void (await this.leases.release(id));
    }
    const hooks = await this.directory.hooks(id);
    if (hooks.length) this.adoptHooks?.(id, hooks);
    const last = await this.stream.last(id);
    const clock = last?.clock ?? restored?.clock ?? { positionMs: spec.positionMs, speed: spec.speed, playing: spec.autoplay, loop: spec.loop };
    try {
      registry.adopt(spec, { seq: last?.seq ?? 0, cursor: last?.cursor, positionMs: clock.positionMs, speed: clock.speed, playing: clock.playing, loop: clock.loop }, restored);
      this.options.logger.info({ session: id, seq: last?.seq ?? 0, positionMs: clock.positionMs }, 'cluster: session taken over');
      this.onAdopted(id);
    } catch (error) {
      this.options.logger.warn({ err: error, session: id }, 'cluster: the session could not be taken over');
      this.failed.set(id, Date.now());
      await this.leases.release(id);
    }
  }

  /** Drills kept in the shared store but unknown to Redis (a new Redis, or all nodes restarted) are put back in the directory. */
  private async seedDrills(): Promise<void> {
    const known = new Set(await this.directory.ids());
    for (const kept of (await this.drills?.loadDrills()) ?? []) {
      if (known.has(kept.id)) continue;
      await this.directory.save(specOfKept(kept));
    }
  }

  private requireRegistry(): SessionRegistry {
    if (!this.registry) throw new Error('cluster: attach the registry first');
    return this.registry;
  }
}
