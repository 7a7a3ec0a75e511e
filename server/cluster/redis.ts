/**
 * The Redis that several nodes share (`REDIS_URL`): one client per process for commands, which
 * the socket.io Redis Streams adapter duplicates for its blocking reads. Commands go through
 * `sendCommand` so the few this project needs read the same in every client version.
 *
 * Keys, all under `sim:`: `sim:sessions` (set of live session ids), `sim:session:<id>` (its spec),
 * `sim:owner:<id>` (the owner's lease), `sim:log:<id>` (its item stream), `sim:node:<id>` (a node's
 * internal address), `sim:code:<join code>` (the drill it opens), `sim:compat-default` (the compatible feeds' default session), `sim:hooks:<id>` (its webhooks), `sim:secret` (what nodes show each other on internal calls).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

export const KEY = {
  sessions: 'sim:sessions',
  session: (id: string) => `sim:session:${id}`,
  owner: (id: string) => `sim:owner:${id}`,
  log: (id: string) => `sim:log:${id}`,
  node: (id: string) => `sim:node:${id}`,
  code: (joinCode: string) => `sim:code:${joinCode}`,
  secret: 'sim:secret',
  compatDefault: 'sim:compat-default',
  hooks: (id: string) => `sim:hooks:${id}`,
} as const;

/** Connects, or fails within `timeoutMs` naming the URL (without its password). */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  const shown = url.replace(/\/\/[^@]*@/, '//***@');
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Redis at ${shown} did not answer within ${timeoutMs} ms${lastError ? ` (${(lastError as Error).message})` : ''}`)), timeoutMs).unref());
  await Promise.race([client.connect(), timer]).catch(async (error) => {
    await client.destroy?.();
    throw error;
  });
  return client as Redis;
}

export async function command(redis: Redis, args: readonly (string | number)[]): Promise<unknown> {
  return redis.sendCommand(args.map(String));
}

const DELETE_IF = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Deletes `key` only while it still holds `value` (one script: nobody else's write is lost). */
export async function deleteIf(redis: Redis, key: string, value: string): Promise<void> {
  await command(redis, ['EVAL', DELETE_IF, 1, key, value]);
}

/** The secret every node of this Redis shares: made by the first node, read by the others. */
export async function clusterSecret(redis: Redis): Promise<string> {
  await command(redis, ['SET', KEY.secret, randomBytes(24).toString('base64url'), 'NX']);
  return String(await command(redis, ['GET', KEY.secret]));
}
