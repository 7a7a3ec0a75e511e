import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../server/domain/events.ts';
import { ItemLog } from '../../../server/sessions/item-log.ts';

const event = (seq: number) => ({ seq, id: `e${seq}` }) as unknown as TimelineEvent;
const clock = (seq: number) => ({ kind: 'clock' as const, clock: { seq, positionMs: 0, speed: 1, playing: true, loop: false, durationMs: 1, serverTimeMs: 0 } });
const seqsOf = (messages: ReturnType<ItemLog['since']>) =>
  messages?.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.seq) : [m.clock.seq]));

describe('item log', () => {
  it('gives back exactly the items after lastSeq, splitting a batch where needed', () => {
    const log = new ItemLog(100);
    log.append({ kind: 'events', events: [event(1), event(2), event(3)] });
    log.append(clock(4));
    log.append({ kind: 'events', events: [event(5)] });
    expect(seqsOf(log.since(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(seqsOf(log.since(2, 5))).toEqual([3, 4, 5]);
    expect(seqsOf(log.since(5, 5))).toEqual([]);
  });

  it('refuses when items were evicted, or a jump came after lastSeq, or lastSeq is from the future', () => {
    const log = new ItemLog(3);
    for (let seq = 1; seq <= 6; seq++) log.append(clock(seq));
    expect(log.since(2, 6)).toBeUndefined();
    expect(seqsOf(log.since(3, 6))).toEqual([4, 5, 6]);
    log.barrier(6);
    log.append(clock(7));
    expect(log.since(6, 7)).toBeUndefined();
    expect(seqsOf(log.since(7, 7))).toEqual([]);
    expect(log.since(9, 7)).toBeUndefined();
  });
});
