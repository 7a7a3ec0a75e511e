/**
 * Where each node can be reached by the others (`sim:node:<id>` = its internal URL), kept alive
 * by the node's heartbeat and expiring with it: a client's node forwards a call or a request to
 * the URL of the session's owner.
 */
import { KEY, command, type Redis } from './redis.ts';

export class NodeBook {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  async announce(nodeId: string, url: string): Promise<void> {
    await command(this.redis, ['SET', KEY.node(nodeId), url, 'PX', this.ttlMs]);
  }

  async urlOf(nodeId: string): Promise<string | undefined> {
    const raw = await command(this.redis, ['GET', KEY.node(nodeId)]);
    return typeof raw === 'string' ? raw : undefined;
  }

  async forget(nodeId: string): Promise<void> {
    await command(this.redis, ['DEL', KEY.node(nodeId)]);
  }
}
