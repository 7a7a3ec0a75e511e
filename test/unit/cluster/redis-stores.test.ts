/**
 * The shared pieces of several nodes, on a real Redis of the test's own: the item stream that
 * resumes a client on any node, the owner leases, the directory of sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '../../../server/cluster/directory.ts';
import { Leases } from '../../../server/cluster/leases.ts';
import { connectRedis, type Redis } from '../../../server/cluster/redis.ts';
import { StreamLog } from '../../../server/cluster/stream-log.ts';
import type { ClockState } from '../../../server/domain/control.ts';
import type { TimelineEvent } from '../../../server/domain/events.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url);
}, 20_000);
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

const clock = (positionMs: number): ClockState => ({ positionMs, speed: 60, playing: true, loop: false, durationMs: 1000 }) as ClockState;
const event = (seq: number): TimelineEvent => ({ seq, id: `e${seq}`, type: 'alert.start', atMs: seq * 10 }) as unknown as TimelineEvent;
const settle = () => redis.ping();

describe('StreamLog', () => {
  it('gives a client exactly the items after its lastSeq, splitting a batch it half has', async () => {
    const log = new StreamLog(redis);
    const journal = log.journal('s1');
    journal.item({ kind: 'events', events: [event(1), event(2), event(3)] }, { cursor: 3, clock: clock(30) });
    journal.item({ kind: 'clock', clock: { ...clock(35), seq: 4 } as never }, { cursor: 3, clock: clock(35) });
    journal.item({ kind: 'events', events: [event(5)] }, { cursor: 4, clock: clock(50) });
    await settle();
    const missed = await log.since('s1', 2);
    expect(missed?.map((m) => (m.kind === 'events' ? m.events.map((e) => e.seq) : [m.clock.seq]))).toEqual([[3], [4], [5]]);
    expect(await log.since('s1', 5)).toEqual([]);
    expect(await log.since('s1', 0)).toHaveLength(3);
    expect(await log.since('s1', 6)).toBeUndefined(); // from another life of the session
    expect(await log.last('s1')).toEqual({ seq: 5, cursor: 4, clock: clock(50), jump: false });
  });

  it('sends a snapshot instead across a jump, and when the items were trimmed away', async () => {
    const log = new StreamLog(redis);
    const journal = log.journal('s2');
    journal.item({ kind: 'events', events: [event(1)] }, { cursor: 1, clock: clock(10) });
    journal.jump(1, { cursor: 0, clock: clock(0) });
    journal.item({ kind: 'events', events: [event(2)] }, { cursor: 1, clock: clock(10) });
    await settle();
    expect(await log.since('s2', 0)).toBeUndefined(); // item 1's state was replaced
    expect(await log.since('s2', 1)).toBeUndefined();
    expect((await log.since('s2', 2))).toEqual([]);
    const small = new StreamLog(redis, 1);
    const j = small.journal('s3');
    for (let seq = 1; seq <= 300; seq++) j.item({ kind: 'events', events: [event(seq)] }, { cursor: seq, clock: clock(seq) });
    await settle();
    expect(await small.since('s3', 1)).toBeUndefined(); // trimmed (and too far behind)
    expect((await small.since('s3', 299))?.length).toBe(1);
    await small.drop('s3');
    expect(await small.last('s3')).toBeUndefined();
  });
});

describe('Leases', () => {
  it('gives a session one owner; only the holder renews or releases; a lapsed lease can be taken', async () => {
    const a = new Leases(redis, 'node-a', 300);
    const b = new Leases(redis, 'node-b', 300);
    expect(await a.acquire('x')).toBe(true);
    expect(await b.acquire('x')).toBe(false);
    expect(await b.renew(['x'])).toEqual(['x']);
    await b.release('x');
    expect(await a.owner('x')).toBe('node-a');
    expect(await a.unowned(['x', 'y'])).toEqual(['y']);
    expect(await a.renew(['x'])).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    expect(await b.acquire('x')).toBe(true);
    expect(await a.renew(['x'])).toEqual(['x']); // a lost it
    await b.release('x');
    expect(await a.owner('x')).toBeUndefined();
  });
});

describe('Directory', () => {
  it('keeps a session spec, finds it by join code, and forgets both', async () => {
    const directory = new Directory(redis);
    const spec = { id: 'd1', kind: 'drill' as const, scenarioId: 'sc', joinCode: 'ABC234', instructorToken: 't', speed: 60, positionMs: 0, autoplay: false, loop: false, regions: ['UA-46'], creator: 'me' };
    await directory.save(spec);
    expect(await directory.get('d1')).toEqual(spec);
    expect(await directory.sessionOfCode('ABC234')).toBe('d1');
    expect(await directory.ids()).toContain('d1');
    await directory.forget('d1');
    expect(await directory.get('d1')).toBeUndefined();
    expect(await directory.sessionOfCode('ABC234')).toBeUndefined();
    expect(await directory.ids()).not.toContain('d1');
  });
});
