/**
 * The numbered sequence a session broadcasts: each item (a batch of events, a clock) gets the next
 * seq, goes into the log that resumes clients (the last items, by default a few thousand), into
 * the journal when there are several nodes, and then to the sink. Apart from Session so that this
 * one path, whose order matters (logged and journalled before it is sent), is in one place.
 */
import type { ClockMessage, Snapshot } from '../contract/session.ts';
import type { ClockState } from '../domain/control.ts';
import type { ScenarioEvent, TimelineEvent } from '../domain/events.ts';
import { ItemLog, type LoggedMessage } from './item-log.ts';
import type { SessionSink } from './sink.ts';

/** Events a snapshot lists in `recent`: enough for a feed to start from. */
export const RECENT_EVENTS = 50;

/** Where the engine stood when an item was broadcast: enough to carry on from it elsewhere. */
export interface JournalMark {
  readonly cursor: number;
  readonly clock: ClockState;
}

export interface SessionJournal {
  /** A broadcast item (events or a clock), in seq order. */
  item(message: LoggedMessage, mark: JournalMark): void;
  /** The state was replaced after item `seq` (a seek, a step back, a loop). */
  jump(seq: number, mark: JournalMark): void;
}

export interface BroadcastOptions {
  readonly sessionId: string;
  readonly sink: SessionSink;
  readonly logCapacity?: number | undefined;
  readonly journal?: SessionJournal | undefined;
  /** Where the engine stands now, for the journal. */
  readonly mark: () => JournalMark;
}

export class Broadcast {
  private seq = 0;
  private readonly log: ItemLog;
  /** Events broadcast since the last jump, newest last: their seqs go into snapshots. */
  private recent: TimelineEvent[] = [];

  constructor(private readonly options: BroadcastOptions) {
    this.log = new ItemLog(options.logCapacity);
  }

  get currentSeq(): number {
    return this.seq;
  }

  /** Taken over from another node after item `seq`: clients up to date resume from here, older ones from the shared log. */
  resumeAfter(seq: number): void {
    this.seq = seq;
    if (seq > 0) this.log.barrier(seq - 1);
  }

  /** The last event broadcast since the last jump. */
  latest(): TimelineEvent | undefined {
    return this.recent.at(-1);
  }

  /** The seqs of the events broadcast since the last jump, by event id. */
  recentSeqs(): Map<string, number> {
    return new Map(this.recent.map((e) => [e.id, e.seq]));
  }

  /** The messages after `lastSeq`, or undefined when a snapshot must be sent instead. */
  missedSince(lastSeq: number): LoggedMessage[] | undefined {
    return this.log.since(lastSeq, this.seq);
  }

  events(batch: readonly ScenarioEvent[]): TimelineEvent[] {
    const events: TimelineEvent[] = batch.map((e) => ({ ...e, seq: ++this.seq }));
    this.log.append({ kind: 'events', events });
    this.options.journal?.item({ kind: 'events', events }, this.options.mark());
    // Only the last RECENT_EVENTS can matter; a long batch is not spread into push().
    for (const e of events.length > RECENT_EVENTS ? events.slice(-RECENT_EVENTS) : events) this.recent.push(e);
    if (this.recent.length > RECENT_EVENTS * 2) this.recent = this.recent.slice(-RECENT_EVENTS);
    this.options.sink.events(this.options.sessionId, events);
    return events;
  }

  clock(state: ClockState): void {
    const clock: ClockMessage = { ...state, seq: ++this.seq };
    this.log.append({ kind: 'clock', clock });
    this.options.journal?.item({ kind: 'clock', clock }, this.options.mark());
    this.options.sink.clock(this.options.sessionId, clock);
  }

  /** The state was replaced: clients older than now get `snapshot()`, taken once the recent events are forgotten. */
  jump(snapshot: () => Snapshot): void {
    this.log.barrier(this.seq);
    this.options.journal?.jump(this.seq, this.options.mark());
    this.recent = [];
    this.options.sink.snapshot(this.options.sessionId, snapshot());
  }
}
