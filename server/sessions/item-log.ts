/**
 * The bounded log of what a session broadcast, message by message, so that a participant who
 * reconnects with `lastSeq` gets exactly the items it missed. It answers "I cannot" (undefined)
 * rather than leave a gap: when the items were evicted, or when a jump (a seek, a step back)
 * replaced the state after `lastSeq`, because a jump is not an item and replaying items across
 * it would give a wrong map. The caller then sends a fresh snapshot.
 */
import type { TimelineEvent } from '../domain/events.ts';
import type { ClockMessage } from '../contract/session.ts';

export type LoggedMessage =
  | { readonly kind: 'events'; readonly events: readonly TimelineEvent[] }
  | { readonly kind: 'clock'; readonly clock: ClockMessage };

interface Entry {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly items: number;
  readonly message: LoggedMessage;
}

/**
 * Items kept per session. At 3600x a night's 800 events and clocks pass in seconds, so this holds
 * several whole nights: a reconnect after a few seconds is always served from the log.
 */
export const DEFAULT_LOG_CAPACITY = 10_000;
/**
 * Items a resume sends at most; further behind, a snapshot is cheaper. A snapshot of the seed
 * night is about 30 KB; 200 items are about 50 KB. (A handshake 9,000 items behind used to cost
 * 2.35 MB of encoding for one socket.)
 */
export const MAX_RESUME_ITEMS = 200;

export class ItemLog {
  private readonly entries: Entry[] = [];
  private head = 0;
  private itemCount = 0;
  /** No resume from a seq below this: items before it were evicted or a jump followed them. */
  private resumableFrom = 0;

  constructor(private readonly capacity = DEFAULT_LOG_CAPACITY) {}

  append(message: LoggedMessage): void {
    const seqs = message.kind === 'events' ? message.events.map((e) => e.seq) : [message.clock.seq];
    const entry: Entry = { firstSeq: seqs[0]!, lastSeq: seqs[seqs.length - 1]!, items: seqs.length, message };
    this.entries.push(entry);
    this.itemCount += entry.items;
    while (this.itemCount > this.capacity && this.head < this.entries.length) {
      const evicted = this.entries[this.head]!;
      this.head += 1;
      this.itemCount -= evicted.items;
      this.resumableFrom = Math.max(this.resumableFrom, evicted.lastSeq);
    }
    // Compact now and then rather than shift on every eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * The state was replaced after item `seq`: a client holding only items up to `seq` has the old
   * state, so it must be sent a snapshot. (One that holds a later item saw the new state.)
   */
  barrier(seq: number): void {
    this.resumableFrom = Math.max(this.resumableFrom, seq + 1);
  }

  /** The messages a participant that has everything up to `lastSeq` is missing, or undefined. */
  since(lastSeq: number, currentSeq: number, maxItems = MAX_RESUME_ITEMS): LoggedMessage[] | undefined {
    if (lastSeq > currentSeq) return undefined; // from another life of the session
    if (currentSeq - lastSeq > maxItems) return undefined;
    if (lastSeq < this.resumableFrom) return undefined;
    const missed: LoggedMessage[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.lastSeq <= lastSeq) continue;
      if (entry.message.kind === 'events' && entry.firstSeq <= lastSeq) {
        missed.push({ kind: 'events', events: entry.message.events.filter((e) => e.seq > lastSeq) });
      } else missed.push(entry.message);
    }
    return missed;
  }
}
