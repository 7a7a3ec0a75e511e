/**
 * Which sessions exist across the nodes, and how to build each again: its spec in Redis,
 * written by the node that runs it, read by a node that takes it over or serves its clients.
 * Ownership itself is a lease beside it (leases.ts).
 */
import { sessionSpecSchema, type SessionSpec } from '../contract/session.ts';
import { KEY, command, type Redis } from './redis.ts';

export class Directory {
  constructor(private readonly redis: Redis) {}

  async save(spec: SessionSpec): Promise<void> {
    await command(this.redis, ['SET', KEY.session(spec.id), JSON.stringify(spec)]);
    await command(this.redis, ['SET', KEY.code(spec.joinCode), spec.id]);
    await command(this.redis, ['SADD', KEY.sessions, spec.id]);
  }

  /** The session a join code opens (codes are stored as the registry normalizes them). */
  async sessionOfCode(joinCode: string): Promise<string | undefined> {
    const raw = await command(this.redis, ['GET', KEY.code(joinCode)]);
    return typeof raw === 'string' ? raw : undefined;
  }

  async get(id: string): Promise<SessionSpec | undefined> {
    const raw = await command(this.redis, ['GET', KEY.session(id)]);
    if (typeof raw !== 'string') return undefined;
    const parsed = sessionSpecSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async ids(): Promise<string[]> {
    return (await command(this.redis, ['SMEMBERS', KEY.sessions])) as string[];
  }

  async forget(id: string): Promise<void> {
    const spec = await this.get(id);
    if (spec) await command(this.redis, ['DEL', KEY.code(spec.joinCode)]);
    await command(this.redis, ['SREM', KEY.sessions, id]);
    await command(this.redis, ['DEL', KEY.session(id)]);
  }
}
