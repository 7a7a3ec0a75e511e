/**
 * Following a session's alerts as they change, for the pushes of the compatible feeds (the
 * alerts.com.ua event stream, ukrainealarm webhooks). Each look reads the ledger's changes since
 * the previous one, so an alert that starts and ends between two looks (at 3600x a 5-minute alert
 * passes in a tenth of a second) is still reported twice, in order. After a jump back the ledger
 * is rebuilt: then each region whose status differs from what was last reported is reported once.
 */
import type { Session } from '../../sessions/session.ts';
import type { Mark } from './ledger.ts';
import { viewOf, type FeedView } from './sessions.ts';

export interface AlertChange {
  readonly code: string;
  readonly on: boolean;
  /** Scenario position of the change. */
  readonly atMs: number;
}

/** A function to call now and then: it hands every alert change of `codes` since the last call to `report`. */
export function alertWatcher(session: Session, codes: readonly string[], report: (changes: readonly AlertChange[], view: FeedView) => void): () => void {
  const covered = new Set(codes);
  const first = viewOf(session);
  let mark: Mark = first.ledger.mark();
  const reported = new Map(codes.map((code) => [code, first.ledger.open.has(`alert:${code}`)]));
  return () => {
    const view = viewOf(session);
    const since = view.ledger.since(mark);
    mark = view.ledger.mark();
    const changes: AlertChange[] = since
      ? since.filter((c) => c.episode.kind === 'alert' && covered.has(c.episode.code)).map((c) => ({ code: c.episode.code, on: c.on, atMs: c.atMs }))
      : codes.flatMap((code) => {
          const on = view.ledger.open.has(`alert:${code}`);
          if (on === reported.get(code)) return [];
          const last = view.ledger.alertsOf(code).at(-1);
          return [{ code, on, atMs: (on ? last?.startMs : last?.endMs) ?? view.clock.positionMs }];
        });
    for (const change of changes) reported.set(change.code, change.on);
    if (changes.length > 0) report(changes, view);
  };
}
