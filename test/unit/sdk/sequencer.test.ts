import { describe, expect, it } from 'vitest';
import { Sequencer, seqOf, type SequencedItem } from '../../../client/sdk/sequencer.ts';

const ev = (seq: number): SequencedItem => ({ kind: 'event', event: { id: `e${seq}`, seq, atMs: seq, type: 'statement', org: 'x', text: { en: '' } } as never });
const clock = (seq: number): SequencedItem => ({ kind: 'clock', clock: { seq, positionMs: 0, speed: 1, playing: true, loop: false, durationMs: 1, serverTimeMs: 0 } });
const seqs = (items: SequencedItem[]) => items.map(seqOf);

describe('Sequencer', () => {
  it('hands items on in seq order, holding early ones until the hole closes', () => {
    const s = new Sequencer();
    s.reset(0);
    expect(seqs(s.push(ev(2)))).toEqual([]);
    expect(s.hole()).toEqual({ fromSeq: 1, toSeq: 1 });
    expect(seqs(s.push(clock(3)))).toEqual([]);
    expect(seqs(s.push(ev(1)))).toEqual([1, 2, 3]);
    expect(s.hole()).toBeUndefined();
    expect(s.reordered).toBe(2);
  });

  it('drops an item seen before, held or handed on', () => {
    const s = new Sequencer();
    s.reset(0);
    s.push(ev(1));
    expect(s.push(ev(1))).toEqual([]);
    s.push(ev(3));
    expect(s.push(ev(3))).toEqual([]);
    expect(s.duplicates).toBe(2);
  });

  it('holds everything until the first snapshot, then drops what the snapshot covers', () => {
    const s = new Sequencer();
    s.push(ev(4));
    s.push(ev(6));
    expect(seqs(s.reset(5))).toEqual([6]);
    expect(s.lastSeq).toBe(6);
  });

  it('gives a hole up on request and carries on from the earliest held item', () => {
    const s = new Sequencer();
    s.reset(0);
    s.push(ev(4));
    s.push(ev(5));
    expect(s.hole()).toEqual({ fromSeq: 1, toSeq: 3 });
    expect(seqs(s.skipHole())).toEqual([4, 5]);
    expect(s.push(ev(2))).toEqual([]);
  });
});
