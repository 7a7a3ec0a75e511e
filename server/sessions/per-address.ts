/**
 * What each client address holds: the sessions it created (a few at once) and its socket
 * connections (a few dozen at once, opened at a bounded rate). Apart from the registry because
 * these are counts by address, kept for the quotas, while the registry keeps sessions by id.
 */
import { Bucket, tooMany, type Quotas } from './quotas.ts';

/** Past this many addresses the opening buckets are forgotten: each would be full again anyway. */
const OPENING_BUCKETS_MAX = 10_000;

/** Live sessions by the address that created them. */
export class CreatorCounts {
  private readonly byCreator = new Map<string, number>();
  private readonly creatorOf = new Map<string, string>();

  running(creator: string): number {
    return this.byCreator.get(creator) ?? 0;
  }

  added(sessionId: string, creator: string): void {
    this.byCreator.set(creator, this.running(creator) + 1);
    this.creatorOf.set(sessionId, creator);
  }

  removed(sessionId: string): void {
    const creator = this.creatorOf.get(sessionId);
    this.creatorOf.delete(sessionId);
    if (creator !== undefined) decrement(this.byCreator, creator);
  }
}

/** Socket connections by address, and the rate at which each address may open them. */
export class ConnectionCounts {
  private readonly connectionsBy = new Map<string, number>();
  private readonly openingBy = new Map<string, Bucket>();

  constructor(
    private readonly quotas: Quotas,
    private readonly now: () => number,
  ) {}

  /** Counts a socket connection from `address`; throws past the allowance. Pair with `released`. */
  connected(address: string): void {
    const n = this.connectionsBy.get(address) ?? 0;
    if (n >= this.quotas.connectionsPerAddress) throw tooMany(`an address may hold ${this.quotas.connectionsPerAddress} connections at once`, 10_000);
    if (this.openingBy.size > OPENING_BUCKETS_MAX) this.openingBy.clear();
    let bucket = this.openingBy.get(address);
    if (!bucket) this.openingBy.set(address, (bucket = new Bucket(this.quotas.connectionsPerSecond, this.quotas.connectionBurst, this.now)));
    const wait = bucket.take();
    if (wait > 0) throw tooMany(`an address may open ${this.quotas.connectionsPerSecond} connections a second`, wait);
    this.connectionsBy.set(address, n + 1);
  }

  released(address: string): void {
    decrement(this.connectionsBy, address);
  }
}

/** One less for `key`, forgetting it at zero (a missing key counts as one). */
function decrement(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 1) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
