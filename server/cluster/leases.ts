/**
 * One owner per session: a lease in Redis (`sim:owner:<id>` = node id, with an expiry), taken
 * with SET NX, renewed by its owner, released on a clean shutdown. When an owner dies its leases
 * lapse after `leaseMs` and the first node to take one runs the session. Renewal and release
 * check the holder in one script, so a node never extends or drops a lease another node took.
 *
 * Why 2 s: the owner renews every 2/3 s, so two missed renewals (a long GC pause, a slow Redis)
 * are tolerated, and a dead owner is replaced within the lease plus one scan (0.5 s) plus the
 * take-over itself: about 3 s, inside the 5 s a session may stand still. (With 3 s leases and a
 * 1 s scan the test measured 4.1 s on a loaded 2-core machine: too close.)
 */
import { KEY, command, deleteIf, type Redis } from './redis.ts';

export const DEFAULT_LEASE_MS = 2000;

const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

export class Leases {
  constructor(
    private readonly redis: Redis,
    readonly nodeId: string,
    readonly leaseMs = DEFAULT_LEASE_MS,
  ) {}

  async acquire(sessionId: string): Promise<boolean> {
    return (await command(this.redis, ['SET', KEY.owner(sessionId), this.nodeId, 'NX', 'PX', this.leaseMs])) === 'OK';
  }

  /** Renews the leases of `sessionIds`; returns those this node no longer holds. */
  async renew(sessionIds: readonly string[]): Promise<string[]> {
    const results = await Promise.all(sessionIds.map((id) => command(this.redis, ['EVAL', RENEW, 1, KEY.owner(id), this.nodeId, this.leaseMs])));
    return sessionIds.filter((_, i) => Number(results[i]) !== 1);
  }

  async release(sessionId: string): Promise<void> {
    await deleteIf(this.redis, KEY.owner(sessionId), this.nodeId);
  }

  /** The sessions among `sessionIds` that nobody holds: one round trip for all. */
  async unowned(sessionIds: readonly string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const owners = (await command(this.redis, ['MGET', ...sessionIds.map((id) => KEY.owner(id))])) as (string | null)[];
    return sessionIds.filter((_, i) => owners[i] === null);
  }

  async owner(sessionId: string): Promise<string | undefined> {
    const raw = await command(this.redis, ['GET', KEY.owner(sessionId)]);
    return typeof raw === 'string' ? raw : undefined;
  }
}
