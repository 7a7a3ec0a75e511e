/**
 * Faults per session and per connecting client, behind the `SessionSink` seam: the sessions
 * and the engine do not know faults exist. `wrap(sink)` returns a sink that sends a faulted
 * session's items through its pipeline, and every item also through the pipelines of the
 * clients that asked for their own faults (those clients are not in the session's room).
 *
 * Profiles live in memory with the session: a fault is a test's request, not data to keep.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { FaultProfile, FaultReport } from '../contract/faults.ts';
import type { Snapshot } from '../contract/session.ts';
import type { SessionSink } from '../sessions/sink.ts';
import { FaultPipeline, emptyCounts, type FaultTarget, type Outgoing } from './pipeline.ts';

export interface FaultHooks {
  /** Closes the connections in a session's room; socket.io clients reconnect by themselves. */
  disconnectSession(sessionId: string): void;
  /** Tells a session's room which faults now apply. */
  announce(sessionId: string, report: FaultReport): void;
  /** Whether the session still exists (profiles of closed sessions are forgotten). */
  isLive(sessionId: string): boolean;
}

/** A client with its own faults: items through its pipeline, snapshots straight. */
export interface ClientTarget extends FaultTarget {
  snapshot(snapshot: Snapshot): void;
}

export type HttpFault = { readonly kind: 'status'; readonly status: number; readonly retryAfterS: number } | { readonly kind: 'stale' };

export const NO_FAULTS = (scope: 'session' | 'client'): FaultReport => ({ scope, profile: null, counts: emptyCounts(), recent: [] });

export class SessionFaults {
  private readonly sessions = new Map<string, FaultPipeline>();
  private readonly clients = new Map<string, Set<{ pipeline: FaultPipeline; target: ClientTarget }>>();
  private readonly requests = new Map<string, number>();
  private inner: SessionSink | undefined;

  constructor(
    private readonly hooks: FaultHooks,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  /** The sink the registry uses: faults in front of `inner`. */
  wrap(inner: SessionSink): SessionSink {
    this.inner = inner;
    const toClients = (id: string, message: Outgoing) => this.clients.get(id)?.forEach((c) => c.pipeline.push(message));
    return {
      events: (id, events) => {
        this.pipelineOrDirect(id, { kind: 'events', events });
        toClients(id, { kind: 'events', events });
      },
      clock: (id, clock) => {
        this.pipelineOrDirect(id, { kind: 'clock', clock });
        toClients(id, { kind: 'clock', clock });
      },
      snapshot: (id, snapshot) => {
        inner.snapshot(id, snapshot);
        this.clients.get(id)?.forEach((c) => c.target.snapshot(snapshot));
      },
      // A drill's own messages (roster, a trainee's status, the instructor's posts) are the
      // drill's business, not the feed's: faults leave them alone.
      roster: (id, roster) => inner.roster(id, roster),
      self: (id, participantId, status) => inner.self(id, participantId, status),
      message: (id, message) => inner.message(id, message),
      ended: (id, reason) => inner.ended(id, reason),
    };
  }

  /** Sets (or with null, clears) a session's profile; the old one's counts start again. */
  set(sessionId: string, profile: FaultProfile | null): FaultReport {
    for (const id of this.sessions.keys()) if (!this.hooks.isLive(id)) this.forget(id);
    this.requests.delete(sessionId);
    if (profile) {
      const target: FaultTarget = {
        send: (m) => (m.kind === 'events' ? this.inner?.events(sessionId, m.events) : this.inner?.clock(sessionId, m.clock)),
        disconnect: () => this.hooks.disconnectSession(sessionId),
      };
      this.sessions.set(sessionId, new FaultPipeline(profile, target, this.scheduler));
    } else this.sessions.delete(sessionId);
    const report = this.report(sessionId);
    this.hooks.announce(sessionId, report);
    return report;
  }

  report(sessionId: string): FaultReport {
    return this.sessions.get(sessionId)?.dice.report('session') ?? NO_FAULTS('session');
  }

  /** A client's own faults: it receives the session's items through this pipeline. Returns the remover. */
  addClient(sessionId: string, profile: FaultProfile, target: ClientTarget): { pipeline: FaultPipeline; remove: () => void } {
    const pipeline = new FaultPipeline(profile, target, this.scheduler);
    const entry = { pipeline, target };
    let set = this.clients.get(sessionId);
    if (!set) this.clients.set(sessionId, (set = new Set()));
    set.add(entry);
    const remove = () => {
      set.delete(entry);
      if (set.size === 0 && this.clients.get(sessionId) === set) this.clients.delete(sessionId);
    };
    return { pipeline, remove };
  }

  /** What a compatible endpoint of the session does with this request, if anything. */
  http(sessionId: string, positionMs: number): HttpFault | undefined {
    const pipeline = this.sessions.get(sessionId);
    if (!pipeline) return undefined;
    const n = (this.requests.get(sessionId) ?? 0) + 1;
    this.requests.set(sessionId, n);
    const key = `request:${n}`;
    const { profile, dice } = pipeline;
    if (profile.stall && !pipeline.isStalled() && dice.fires('stall', key, positionMs, null)) pipeline.stall(profile.stall.forMs);
    if (profile.http && dice.fires('http', key, positionMs, null)) {
      const statuses = profile.http.status;
      const status = statuses[Math.floor(dice.amount('http', key) * statuses.length)] ?? statuses[0]!;
      return { kind: 'status', status, retryAfterS: profile.http.retryAfterS };
    }
    return pipeline.isStalled() ? { kind: 'stale' } : undefined;
  }

  /** Whether the session's profile can stall (so its compatible answers are worth remembering). */
  canStall(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.profile.stall !== undefined;
  }

  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.requests.delete(sessionId);
  }

  private pipelineOrDirect(id: string, message: Outgoing): void {
    const pipeline = this.sessions.get(id);
    if (pipeline) pipeline.push(message);
    else if (message.kind === 'events') this.inner?.events(id, message.events);
    else this.inner?.clock(id, message.clock);
  }
}
