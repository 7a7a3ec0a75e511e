/**
 * A session's items in a Redis stream, so that any node can resume a client with `lastSeq` and
 * another node can take the session over where its owner stopped. The owner appends each item
 * before it is broadcast, on the same connection as the adapter's broadcast, so an item is in
 * the log by the time a client could miss it.
 *
 * Entry ids carry the seq: an events batch or a clock is `<last seq>-0`; a jump (the state was
 * replaced after item `seq`) is `<seq>-N` with N from 1. Every entry records the engine's cursor
 * and clock, which is all a new owner needs. The stream is trimmed to about `capacity` entries;
 * a client further behind gets a snapshot, as in one process (sessions/item-log.ts).
 */
import type { LoggedMessage } from '../sessions/item-log.ts';
import { DEFAULT_LOG_CAPACITY, MAX_RESUME_ITEMS } from '../sessions/item-log.ts';
import type { JournalMark, SessionJournal } from '../sessions/session.ts';
import type { ClockState } from '../domain/control.ts';
import { KEY, command, type Redis } from './redis.ts';

/** Where the owner stood at its last logged entry. */
export interface LastEntry {
  readonly seq: number;
  readonly cursor: number;
  readonly clock: ClockState;
  /** The entry is a jump: the state was replaced after item `seq`. */
  readonly jump: boolean;
}

type RawEntry = [id: string, fields: string[]];

function fieldsOf(raw: RawEntry): Record<string, string> {
  const out: Record<string, string> = {};
  const f = raw[1];
  for (let i = 0; i + 1 < f.length; i += 2) out[f[i]!] = f[i + 1]!;
  return out;
}

const seqOfId = (id: string) => Number(id.split('-')[0]);
const isJump = (id: string) => !id.endsWith('-0');

export class StreamLog {
  constructor(
    private readonly redis: Redis,
    private readonly capacity = DEFAULT_LOG_CAPACITY,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  journal(sessionId: string): SessionJournal {
    const key = KEY.log(sessionId);
    const mark = (m: JournalMark) => ['c', String(m.cursor), 'k', JSON.stringify(m.clock)];
    const add = (id: string, fields: string[]) => {
      command(this.redis, ['XADD', key, 'MAXLEN', '~', this.capacity, id, ...fields]).catch(this.onError);
    };
    return {
      item: (message, m) => {
        const seqs = message.kind === 'events' ? message.events.map((e) => e.seq) : [message.clock.seq];
        add(`${seqs[seqs.length - 1]}-0`, ['f', String(seqs[0]), 'm', JSON.stringify(message), ...mark(m)]);
      },
      jump: (seq, m) => add(`${seq}-*`, mark(m)),
    };
  }

  async last(sessionId: string): Promise<LastEntry | undefined> {
    const raw = (await command(this.redis, ['XREVRANGE', KEY.log(sessionId), '+', '-', 'COUNT', 1])) as RawEntry[];
    const entry = raw[0];
    if (!entry) return undefined;
    const f = fieldsOf(entry);
    return { seq: seqOfId(entry[0]), cursor: Number(f.c), clock: JSON.parse(f.k!) as ClockState, jump: isJump(entry[0]) };
  }

  /** The items after `lastSeq`, or undefined when the client must get a snapshot instead. */
  async since(sessionId: string, lastSeq: number, maxItems = MAX_RESUME_ITEMS): Promise<LoggedMessage[] | undefined> {
    const last = await this.last(sessionId);
    const current = last?.seq ?? 0;
    if (lastSeq > current || current - lastSeq > maxItems) return undefined;
    if (lastSeq === current) return last?.jump ? undefined : [];
    const raw = (await command(this.redis, ['XRANGE', KEY.log(sessionId), `(${lastSeq}-0`, '+', 'COUNT', maxItems + 10])) as RawEntry[];
    const missed: LoggedMessage[] = [];
    for (const entry of raw) {
      if (isJump(entry[0])) return undefined;
      const f = fieldsOf(entry);
      if (missed.length === 0 && Number(f.f) > lastSeq + 1) return undefined; // trimmed away
      const message = JSON.parse(f.m!) as LoggedMessage;
      missed.push(message.kind === 'events' && Number(f.f) <= lastSeq ? { kind: 'events', events: message.events.filter((e) => e.seq > lastSeq) } : message);
    }
    return missed.length ? missed : undefined;
  }

  async drop(sessionId: string): Promise<void> {
    await command(this.redis, ['DEL', KEY.log(sessionId)]);
  }
}
