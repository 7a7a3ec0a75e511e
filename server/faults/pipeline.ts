/**
 * One destination's faults (a session's room, or one client's connection): what the profile
 * says to do with each message on its way out. Transport-free: it is given where to send and
 * how to disconnect, and a scheduler, so marble tests drive it in virtual time.
 *
 * Per item (an event, or a clock): drop, duplicate (sent again right after its message),
 * reorder (held for `windowMs` so later items overtake it), disconnect (after its message).
 * Per message: latency (ms plus seeded jitter; never reorders: a message is never sent before
 * the one before it). Stall: from an item on, nothing is sent for `forMs`, then all that was
 * held goes in order. Snapshots and rosters pass untouched: they are the recovery, not the feed.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { FAULT_KINDS, FAULT_LOG_SIZE, type FaultKind, type FaultProfile, type FaultRecord, type FaultReport } from '../contract/faults.ts';
import type { ClockMessage } from '../contract/session.ts';
import type { TimelineEvent } from '../domain/events.ts';
import { draw } from './draw.ts';

export type Outgoing = { readonly kind: 'events'; readonly events: readonly TimelineEvent[] } | { readonly kind: 'clock'; readonly clock: ClockMessage };

export interface FaultTarget {
  send(message: Outgoing): void;
  disconnect(): void;
}

interface Item {
  readonly key: string;
  readonly seq: number | null;
  readonly atMs: number;
  readonly value: TimelineEvent | ClockMessage;
  readonly isClock: boolean;
}

function itemsOf(message: Outgoing): Item[] {
  if (message.kind === 'clock') return [{ key: `clock:${message.clock.seq}`, seq: message.clock.seq, atMs: message.clock.positionMs, value: message.clock, isClock: true }];
  return message.events.map((e) => ({ key: e.id, seq: e.seq, atMs: e.atMs, value: e, isClock: false }));
}

/** Items back into messages, in their order: runs of events as one message, each clock alone. */
function messagesOf(items: readonly Item[]): Outgoing[] {
  const out: Outgoing[] = [];
  let run: TimelineEvent[] = [];
  for (const item of items) {
    if (!item.isClock) {
      run.push(item.value as TimelineEvent);
      continue;
    }
    if (run.length) out.push({ kind: 'events', events: run });
    run = [];
    out.push({ kind: 'clock', clock: item.value as ClockMessage });
  }
  if (run.length) out.push({ kind: 'events', events: run });
  return out;
}

export const emptyCounts = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;

/** Whether `kind` strikes the item at scenario position `atMs` with this key. */
export class FaultDice {
  readonly counts = emptyCounts();
  readonly recent: FaultRecord[] = [];
  /** Windows of once-only faults (disconnect, stall) already used. */
  private readonly used = new Set<string>();

  constructor(readonly profile: FaultProfile) {}

  fires(kind: FaultKind, key: string, atMs: number, seq: number | null): boolean {
    const spec = this.profile[kind as Exclude<FaultKind, never>] as { rate?: number; at?: ReadonlyArray<{ fromMs: number; toMs: number }> } | undefined;
    if (!spec) return false;
    let hit = false;
    const index = spec.at?.findIndex((w) => atMs >= w.fromMs && atMs <= w.toMs) ?? -1;
    if (index >= 0) {
      const once = kind === 'disconnect' || kind === 'stall';
      hit = !once || !this.used.has(`${kind}:${index}`);
      if (once) this.used.add(`${kind}:${index}`);
    }
    if (!hit && spec.rate !== undefined) hit = draw(this.profile.seed, kind, key) < spec.rate;
    if (hit) this.record({ kind, key, seq });
    return hit;
  }

  /** A second draw for the same item (jitter, which status), independent of the first. */
  amount(kind: FaultKind, key: string): number {
    return draw(this.profile.seed, `${kind}/amount`, key);
  }

  report(scope: 'session' | 'client'): FaultReport {
    return { scope, profile: this.profile, counts: { ...this.counts }, recent: [...this.recent] };
  }

  private record(record: FaultRecord): void {
    this.counts[record.kind] += 1;
    this.recent.push(record);
    if (this.recent.length > FAULT_LOG_SIZE) this.recent.splice(0, this.recent.length - FAULT_LOG_SIZE);
  }
}

export class FaultPipeline {
  readonly dice: FaultDice;
  /** Wall time (scheduler ms) the last scheduled message goes out: latency never reorders. */
  private lastDueMs = 0;
  private stalledUntilMs = 0;
  /** Deliveries scheduled and not yet made. */
  private waiting = 0;

  constructor(
    profile: FaultProfile,
    private readonly target: FaultTarget,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {
    this.dice = new FaultDice(profile);
  }

  get profile(): FaultProfile {
    return this.dice.profile;
  }

  /** True while a stall holds the feed (the compatible endpoints then answer stale). */
  isStalled(): boolean {
    return this.scheduler.now() < this.stalledUntilMs;
  }

  /** A stall begun by something else than an item (an HTTP request's draw). */
  stall(forMs: number): void {
    this.stalledUntilMs = Math.max(this.stalledUntilMs, this.scheduler.now() + forMs);
  }

  push(message: Outgoing): void {
    const now = this.scheduler.now();
    const p = this.profile;
    const items = itemsOf(message);
    for (const i of items) if (!this.isStalled() && p.stall && this.dice.fires('stall', i.key, i.atMs, i.seq)) this.stall(p.stall.forMs);
    const kept = items.filter((i) => !this.dice.fires('drop', i.key, i.atMs, i.seq));
    const late = kept.filter((i) => this.dice.fires('reorder', i.key, i.atMs, i.seq));
    const now$ = kept.filter((i) => !late.includes(i));
    const twice = kept.filter((i) => this.dice.fires('duplicate', i.key, i.atMs, i.seq));
    const cut = items.some((i) => this.dice.fires('disconnect', i.key, i.atMs, i.seq));
    const first = items[0];
    let delay = 0;
    if (first && p.latency && this.dice.fires('latency', first.key, first.atMs, first.seq)) {
      delay = p.latency.ms + Math.floor(this.dice.amount('latency', first.key) * (p.latency.jitterMs + 1));
    }
    const due = Math.max(now + delay, this.stalledUntilMs, this.lastDueMs);
    this.lastDueMs = due;
    this.at(due - now, () => {
      for (const m of messagesOf(now$)) this.target.send(m);
      for (const m of messagesOf(twice)) this.target.send(m);
      if (cut) this.target.disconnect();
    });
    if (late.length) this.at(due - now + (p.reorder?.windowMs ?? 0), () => messagesOf(late).forEach((m) => this.target.send(m)));
  }

  /** Sends now only when nothing is waiting: a message never overtakes one held before it. */
  private at(delayMs: number, work: () => void): void {
    if (delayMs <= 0 && this.waiting === 0) return work();
    this.waiting += 1;
    this.scheduler.schedule(() => {
      this.waiting -= 1;
      work();
    }, Math.max(0, delayMs));
  }
}
