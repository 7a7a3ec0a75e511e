/** The tests' own Redis: the same starter the multi-node benchmark uses (bench/redis-server.ts). */
export { freePort, redisServerBinary, startRedis, type TestRedis } from '../../bench/redis-server.ts';
