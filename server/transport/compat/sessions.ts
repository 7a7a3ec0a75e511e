/**
 * Which session a compatible feed reads: the id in the path, or `default` for a session this
 * server keeps playing for apps that are given no id (the seed night, looping, at the configured
 * speed). The default session is created on first use and again if it was closed as idle.
 */
import { ApiError } from '../../contract/errors.ts';
import type { FeedTimes } from '../../contract/session.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { Session } from '../../sessions/session.ts';
import { FeedClock } from './feed-time.ts';
import { ledgerOf, type Ledger } from './ledger.ts';

export const DEFAULT_SESSION = 'default';
export const SEED_SCENARIO_ID = '2025-12-06-barrage';

export interface DefaultSessionOptions {
  readonly scenarioId?: string;
  readonly speed?: number;
  readonly feedTimes?: FeedTimes;
}

/**
 * With several nodes, one default session for all of them: the id every node knows (kept in
 * Redis by cluster/node.ts), and how a node that made one offers it. A request for `default` on
 * a node that does not run it is passed to the node that does (cluster/forward.ts).
 */
export interface SharedDefault {
  current(): string | undefined;
  offer(sessionId: string): void;
}

export class CompatSessions {
  private defaultId: string | undefined;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly defaults: DefaultSessionOptions = {},
    private readonly shared?: SharedDefault,
  ) {}

  /** The session named in a path; throws ApiError `session_not_found`. */
  resolve(id: string): Session {
    const session = id === DEFAULT_SESSION ? this.defaultSession() : this.registry.require(id);
    session.touch();
    return session;
  }

  /** The session a path names, or undefined when there is none (nor can be: the default's scenario is not loaded). */
  find(id: string): Session | undefined {
    try {
      return this.resolve(id);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'session_not_found' || error.code === 'scenario_not_found')) return undefined;
      throw error;
    }
  }

  private defaultSession(): Session {
    const sharedId = this.shared?.current();
    const existing = this.registry.get(sharedId ?? this.defaultId ?? '');
    if (existing && !existing.isDisposed) return existing;
    const session = this.registry.open({
      scenarioId: this.defaults.scenarioId ?? SEED_SCENARIO_ID,
      speed: this.defaults.speed ?? 1,
      positionMs: 0,
      autoplay: true,
      loop: true,
      kind: 'watch',
      feedTimes: this.defaults.feedTimes ?? 'present',
    });
    this.defaultId = session.id;
    this.shared?.offer(session.id);
    return session;
  }
}

/** One request's view of a session: its ledger and its clock, read once. */
export interface FeedView {
  readonly session: Session;
  readonly ledger: Ledger;
  readonly clock: FeedClock;
}

export function viewOf(session: Session): FeedView {
  return { session, ledger: ledgerOf(session, session.played()), clock: new FeedClock(session) };
}

/** The session of a compat request, or the service's own "not found" answer. */
export function sessionOr(sessions: CompatSessions, id: string, notFound: () => void): Session | undefined {
  const session = sessions.find(id);
  if (!session) notFound();
  return session;
}
