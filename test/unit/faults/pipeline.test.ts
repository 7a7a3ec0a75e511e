/**
 * The fault pipeline in virtual time: what each fault does to the stream, and that a seeded
 * profile strikes the same items on every run (and other items with another seed).
 */
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { faultProfileSchema, type FaultProfileInput, type FaultRecord } from '../../../server/contract/faults.ts';
import type { TimelineEvent } from '../../../server/domain/events.ts';
import { draw } from '../../../server/faults/draw.ts';
import { FaultPipeline, type Outgoing } from '../../../server/faults/pipeline.ts';

const event = (seq: number): TimelineEvent => ({ id: `e${seq}`, seq, atMs: seq * 1000, type: 'statement', org: 'x', text: { en: '' } }) as never;

/** Feeds 200 events in frames of 1–3, one frame per virtual ms, and returns what came out. */
function run(input: FaultProfileInput, frames: number[] = [1, 2, 3]) {
  const scheduler = new TestScheduler(() => {});
  const sent: Array<{ at: number; seqs: number[] }> = [];
  let disconnects = 0;
  const pipeline = new FaultPipeline(
    faultProfileSchema.parse(input),
    { send: (m: Outgoing) => sent.push({ at: scheduler.now(), seqs: m.kind === 'events' ? m.events.map((e) => e.seq) : [m.clock.seq] }), disconnect: () => (disconnects += 1) },
    scheduler,
  );
  scheduler.run(({ flush }) => {
    let seq = 1;
    let frame = 0;
    while (seq <= 200) {
      const size = frames[frame++ % frames.length]!;
      const events = Array.from({ length: Math.min(size, 201 - seq) }, () => event(seq++));
      scheduler.schedule(() => pipeline.push({ kind: 'events', events }), frame);
    }
    flush();
  });
  return { sent, disconnects, records: pipeline.dice.recent, counts: pipeline.dice.counts };
}

const keys = (records: readonly FaultRecord[]) => records.map((r) => `${r.kind}:${r.key}`).sort();

describe('fault pipeline', () => {
  it('draws the same number for the same seed, kind and key, and spreads them evenly', () => {
    expect(draw(5, 'drop', 'e1')).toBe(draw(5, 'drop', 'e1'));
    expect(draw(5, 'drop', 'e1')).not.toBe(draw(6, 'drop', 'e1'));
    const values = Array.from({ length: 10_000 }, (_, i) => draw(1, 'drop', `e${i}`));
    const below = values.filter((v) => v < 0.25).length;
    expect(below).toBeGreaterThan(2300);
    expect(below).toBeLessThan(2700);
  });

  it('with a seeded profile, two runs fault the same items even when frames are batched differently', () => {
    const profile = { seed: 42, drop: { rate: 0.1 }, duplicate: { rate: 0.1 }, reorder: { rate: 0.1, windowMs: 5 }, latency: { rate: 0.2, ms: 1, jitterMs: 3 } };
    const a = run(profile, [1, 2, 3]);
    const b = run(profile, [1, 2, 3]);
    expect(b.sent).toEqual(a.sent);
    const itemFaults = (r: FaultRecord[]) => keys(r.filter((x) => x.kind !== 'latency'));
    expect(itemFaults(run(profile, [5]).records)).toEqual(itemFaults(a.records));
    expect(itemFaults(run({ ...profile, seed: 43 }).records)).not.toEqual(itemFaults(a.records));
  });

  it('drops, duplicates and reorders exactly the items it records', () => {
    const { sent, records } = run({ seed: 9, drop: { rate: 0.1 }, duplicate: { rate: 0.1 }, reorder: { rate: 0.1, windowMs: 10 } });
    const received = sent.flatMap((m) => m.seqs);
    const dropped = new Set(records.filter((r) => r.kind === 'drop').map((r) => r.seq));
    const doubled = records.filter((r) => r.kind === 'duplicate' && !dropped.has(r.seq)).map((r) => r.seq);
    expect(dropped.size).toBeGreaterThan(0);
    for (const seq of dropped) expect(received).not.toContain(seq);
    for (const seq of doubled) expect(received.filter((s) => s === seq)).toHaveLength(2);
    expect(received.length).toBe(200 - dropped.size + doubled.length);
    const late = records.find((r) => r.kind === 'reorder' && !dropped.has(r.seq))!.seq!;
    expect(received.indexOf(late)).toBeGreaterThan(received.indexOf(late + 1));
  });

  it('fires windowed faults inside their window only, and a disconnect once per window', () => {
    const { sent, records, disconnects } = run({ drop: { at: [{ fromMs: 10_000, toMs: 19_000 }] }, disconnect: { at: [{ fromMs: 50_000, toMs: 60_000 }] } });
    expect(records.filter((r) => r.kind === 'drop').map((r) => r.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(disconnects).toBe(1);
    expect(sent.flatMap((m) => m.seqs)).toHaveLength(190);
  });

  it('keeps order under latency, and a stall holds everything then sends it in order', () => {
    const latency = run({ seed: 1, latency: { rate: 1, ms: 2, jitterMs: 10 } });
    expect(latency.sent.flatMap((m) => m.seqs)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(latency.sent[0]!.at).toBeGreaterThanOrEqual(3);
    const stalled = run({ stall: { at: [{ fromMs: 20_000, toMs: 20_000 }], forMs: 30 } });
    const order = stalled.sent.flatMap((m) => m.seqs);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const at20 = stalled.sent.find((m) => m.seqs.includes(20))!.at;
    const at21 = stalled.sent.find((m) => m.seqs.includes(21))!.at;
    expect(at21).toBeGreaterThanOrEqual(at20);
    expect(at20).toBeGreaterThanOrEqual(30);
  });

  it('refuses a fault with neither a rate nor windows, and rates outside 0..1', () => {
    expect(faultProfileSchema.safeParse({ drop: {} }).success).toBe(false);
    expect(faultProfileSchema.safeParse({ drop: { rate: 2 } }).success).toBe(false);
    expect(faultProfileSchema.safeParse({ nonsense: { rate: 0.1 } }).success).toBe(false);
  });
});
