/**
 * Which sessions exist across the nodes, and how to build each again: its spec in Redis,
 * written by the node that runs it, read by a node that takes it over or serves its clients.
 * Ownership itself is a lease beside it (leases.ts).
 */
import { z } from 'zod';
import { sessionSpecSchema, type SessionSpec } from '../contract/session.ts';
import { registrationSchema, type Registration } from '../webhooks/store.ts';
import { KEY, command, type Redis } from './redis.ts';

const registrationsSchema = z.array(registrationSchema);

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

  /** A session's webhooks (with their secrets: Redis is trusted as the nodes are). */
  async saveHooks(id: string, registrations: readonly Registration[]): Promise<void> {
    if (registrations.length === 0) await command(this.redis, ['DEL', KEY.hooks(id)]);
    else await command(this.redis, ['SET', KEY.hooks(id), JSON.stringify(registrations)]);
  }

  async hooks(id: string): Promise<Registration[]> {
    const raw = await command(this.redis, ['GET', KEY.hooks(id)]);
    if (typeof raw !== 'string') return [];
    const parsed = registrationsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  }

  async forget(id: string): Promise<void> {
    await command(this.redis, ['DEL', KEY.hooks(id)]);
    const spec = await this.get(id);
    if (spec) await command(this.redis, ['DEL', KEY.code(spec.joinCode)]);
    await command(this.redis, ['SREM', KEY.sessions, id]);
    await command(this.redis, ['DEL', KEY.session(id)]);
  }
}
