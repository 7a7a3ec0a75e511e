/**
 * `Last-Modified` and `If-Modified-Since` for the feeds that use them (alerts.in.ua).
 *
 * The stamp is the time, on the feed's clock, of the latest alert change. HTTP dates carry whole
 * seconds, so two changes within one second, or a seek back to an earlier state, could repeat or
 * lower it and make a conditional request wrongly answer 304: the stamp therefore only ever rises
 * for a session, by at least a second per change of content.
 */
import type { Request } from 'express';
import { floorSecond } from './feed-time.ts';
import type { FeedView } from './sessions.ts';

const stamps = new WeakMap<object, { revision: string; ms: number }>();

export function lastModifiedMs(view: FeedView): number {
  const { ledger, clock, session } = view;
  const revision = `${ledger.generation}:${ledger.revision}`;
  const previous = stamps.get(session);
  if (previous && previous.revision === revision) return previous.ms;
  let ms = floorSecond(clock.at(ledger.lastChangeMs ?? 0));
  if (previous && ms <= previous.ms) ms = previous.ms + 1000;
  stamps.set(session, { revision, ms });
  return ms;
}

/** True when the client's copy is current. Empty, quoted or otherwise unparsable values are ignored. */
export function notModified(req: Request, lastModified: number): boolean {
  const header = req.get('if-modified-since');
  if (!header) return false;
  const since = Date.parse(header);
  if (!Number.isFinite(since) || !/GMT$/.test(header.trim())) return false;
  return lastModified <= since;
}
