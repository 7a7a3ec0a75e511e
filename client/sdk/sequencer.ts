/**
 * Puts the items of one session (events and clocks share one `seq` counter) back in order:
 * an item seen before is dropped, an item that arrives early is held until those before it
 * come, and a hole that stays open is reported so the client can ask for it again (a resume
 * with `lastSeq`) or, if the server can no longer send it, give it up and say so.
 *
 * Pure and synchronous: no sockets, no timers, so the rules are tested item by item.
 */
import type { ClockMessage } from '../../server/contract/session.ts';
import type { TimelineEvent } from '../../server/domain/events.ts';

export type SequencedItem = { readonly kind: 'event'; readonly event: TimelineEvent } | { readonly kind: 'clock'; readonly clock: ClockMessage };

export const seqOf = (item: SequencedItem): number => (item.kind === 'event' ? item.event.seq : item.clock.seq);

/** Items `fromSeq`..`toSeq` (inclusive) that never arrived. */
export interface SeqHole {
  readonly fromSeq: number;
  readonly toSeq: number;
}

export class Sequencer {
  /** The last item handed on: everything up to it arrived, in order. Undefined until the first snapshot. */
  lastSeq: number | undefined;
  /** Items that arrived a second time (or after the snapshot that covered them). */
  duplicates = 0;
  /** Items that arrived before one they follow. */
  reordered = 0;
  private readonly held = new Map<number, SequencedItem>();

  /** A snapshot holds the state up to `seq`: items up to it are no longer needed. */
  reset(seq: number): SequencedItem[] {
    this.lastSeq = seq;
    for (const s of this.held.keys()) if (s <= seq) this.held.delete(s);
    return this.drain();
  }

  /** One received item; returns the items that may now be handed on, in order. */
  push(item: SequencedItem): SequencedItem[] {
    const seq = seqOf(item);
    if (this.lastSeq !== undefined && seq <= this.lastSeq) {
      this.duplicates += 1;
      return [];
    }
    if (this.held.has(seq)) {
      this.duplicates += 1;
      return [];
    }
    this.held.set(seq, item);
    if (this.lastSeq === undefined) return [];
    if (seq !== this.lastSeq + 1) this.reordered += 1;
    return this.drain();
  }

  /** The hole before the earliest held item, if any. */
  hole(): SeqHole | undefined {
    if (this.lastSeq === undefined || this.held.size === 0) return undefined;
    const first = Math.min(...this.held.keys());
    return { fromSeq: this.lastSeq + 1, toSeq: first - 1 };
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Gives up the hole: carries on from the earliest held item. */
  skipHole(): SequencedItem[] {
    const hole = this.hole();
    if (!hole) return [];
    this.lastSeq = hole.toSeq;
    return this.drain();
  }

  private drain(): SequencedItem[] {
    const out: SequencedItem[] = [];
    for (;;) {
      const next = this.held.get((this.lastSeq ?? 0) + 1);
      if (!next) return out;
      this.held.delete(seqOf(next));
      this.lastSeq = seqOf(next);
      out.push(next);
    }
  }
}
