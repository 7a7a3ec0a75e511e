/**
 * Allowances per address and per session, decided here once and used by REST and the socket
 * alike: how many sessions one address keeps, how fast a drill admits trainees, how often an
 * instructor injects, and how many wrong join codes anyone may try. A refusal is a typed
 * `quota_exceeded` (429) that says, in `retryAfterS` and `Retry-After`, when to come back.
 *
 * Why these numbers: a classroom behind one address runs a handful of sessions and admits 30
 * trainees in a few seconds; an attacker needs thousands of sessions, trainees or guesses, and
 * gets a few dozen a minute.
 */
import { ApiError } from '../contract/errors.ts';

export interface Quotas {
  /** Live sessions one address may have created. */
  readonly sessionsPerAddress: number;
  /** Socket connections one address may hold at once, and open per second (sustained, burst). */
  readonly connectionsPerAddress: number;
  readonly connectionsPerSecond: number;
  readonly connectionBurst: number;
  /** Injected events per session per minute, and in the whole life of a session. */
  readonly injectsPerMinute: number;
  readonly injectsPerSession: number;
  /** Trainees a drill admits per second (sustained) and at once (burst). */
  readonly traineesPerSecond: number;
  readonly traineeBurst: number;
  /** Wrong join codes one address may try per minute before it is blocked, with backoff. */
  readonly joinFailuresPerAddress: number;
  /** Wrong join codes one drill may receive per minute, from all addresses together. */
  readonly joinFailuresPerSession: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  sessionsPerAddress: 20,
  connectionsPerAddress: 200,
  // Each connection costs a snapshot: 300 at once blocked the loop for a third of a second.
  connectionsPerSecond: 20,
  connectionBurst: 50,
  injectsPerMinute: 30,
  injectsPerSession: 1_000,
  traineesPerSecond: 10,
  traineeBurst: 60,
  joinFailuresPerAddress: 10,
  joinFailuresPerSession: 60,
};

const MINUTE = 60_000;
/** The first block after too many wrong codes; each further one doubles, up to an hour. */
const FIRST_BLOCK_MS = MINUTE;
const LONGEST_BLOCK_MS = 60 * MINUTE;
/** Quiet this long, a key's strikes are forgiven (longer than the longest block, so backoff holds). */
const FORGIVE_MS = 6 * LONGEST_BLOCK_MS;
/** Keys tracked before stale ones are swept, so the tables cannot grow without end. */
const SWEEP_AT = 10_000;

interface Window {
  start: number;
  count: number;
  blockedUntil: number;
  strikes: number;
  last: number;
}

/**
 * Counts events per key in one-minute windows. Past `limit` in a window the key is blocked for
 * `FIRST_BLOCK_MS`, doubled at each further strike (backoff); six quiet hours forgive.
 */
export class Attempts {
  private readonly byKey = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly backoff = true,
  ) {}

  /** Milliseconds `key` must still wait, or 0. */
  blockedFor(key: string): number {
    const w = this.byKey.get(key);
    return w ? Math.max(0, w.blockedUntil - this.now()) : 0;
  }

  /** Counts one event against `key`; returns how long the key is now blocked (0 if not). */
  record(key: string): number {
    const now = this.now();
    if (this.byKey.size >= SWEEP_AT) this.sweep(now);
    let w = this.byKey.get(key);
    if (!w || now - w.last > FORGIVE_MS) {
      w = { start: now, count: 0, blockedUntil: 0, strikes: 0, last: now };
      this.byKey.set(key, w);
    }
    if (now - w.start >= MINUTE) {
      w.start = now;
      w.count = 0;
    }
    w.count += 1;
    w.last = now;
    if (w.count > this.limit && w.blockedUntil <= now) {
      w.strikes += 1;
      const block = this.backoff ? Math.min(LONGEST_BLOCK_MS, FIRST_BLOCK_MS * 2 ** (w.strikes - 1)) : MINUTE - (now - w.start);
      w.blockedUntil = now + block;
      w.count = 0;
      w.start = now + block;
    }
    return Math.max(0, w.blockedUntil - now);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.byKey) if (now - w.last > FORGIVE_MS && w.blockedUntil <= now) this.byKey.delete(key);
  }
}

/** A token bucket: `rate` per second sustained, `burst` at once. */
export class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Takes a token, or returns the milliseconds until one is available. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/** Wrong join codes, counted per address and per drill, over REST and socket handshakes. */
export class JoinGuard {
  private readonly perAddress: Attempts;
  private readonly perSession: Attempts;

  constructor(quotas: Quotas, now: () => number) {
    this.perAddress = new Attempts(quotas.joinFailuresPerAddress, now);
    this.perSession = new Attempts(quotas.joinFailuresPerSession, now, false);
  }

  /** Throws while this address (or this drill) is blocked: the code is not even compared. */
  check(address: string, sessionId?: string): void {
    const wait = Math.max(this.perAddress.blockedFor(address), sessionId ? this.perSession.blockedFor(sessionId) : 0);
    if (wait > 0) throw ApiError.busy('rate_limited', 'too many wrong join codes; wait before trying again', wait / 1000);
  }

  /** A wrong code was tried. */
  failed(address: string, sessionId?: string): void {
    this.perAddress.record(address);
    if (sessionId) this.perSession.record(sessionId);
  }
}

export function tooMany(message: string, waitMs: number): ApiError {
  return ApiError.busy('quota_exceeded', message, waitMs / 1000);
}
