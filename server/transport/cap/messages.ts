/**
 * The CAP 1.2 messages of a session (OASIS Common Alerting Protocol,
 * http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html), derived from its alert ledger:
 * an `Alert` when an alert or a Polish siren starts in a region, an `Update` when an alert's
 * threats widen (or a siren is marked erroneous), a `Cancel` when it ends. `Update` and `Cancel`
 * name the earlier messages of the same episode in `references` (sender,identifier,sent).
 *
 * Identifiers are stable for the life of the session (they follow the episode's number), so a
 * consumer that polls sees the same message under the same name; `sent` and the other times
 * follow the feed clock (the replay's present reads as now unless the session keeps the night's
 * original times).
 */
import type { Episode, Ledger } from '../compat/ledger.ts';

export type MsgType = 'Alert' | 'Update' | 'Cancel';

export interface CapMessage {
  readonly identifier: string;
  readonly msgType: MsgType;
  /** Scenario position at which the message was issued. */
  readonly atMs: number;
  readonly episode: Episode;
  /** For updates: the threats and erroneous flag as of this message. */
  readonly state: { readonly threats: Episode['threats']; readonly erroneous: boolean };
  /** Earlier messages of the same episode, oldest first. */
  readonly references: readonly CapMessage[];
}

export const CAP_SENDER = 'air-raid-sim@simulator.invalid';

/** Every message issued up to the ledger's cursor, in the order they were issued. */
export function capMessages(sessionId: string, ledger: Ledger): CapMessage[] {
  const messages: CapMessage[] = [];
  for (const episode of ledger.episodes) {
    if (episode.kind === 'siren' ? !episode.code.startsWith('PL-') : !episode.code.startsWith('UA-')) continue;
    const base = `${sessionId}.${episode.code}.${episode.n}`;
    const own: CapMessage[] = [];
    const push = (suffix: string, msgType: MsgType, atMs: number, state: CapMessage['state']) => {
      const message: CapMessage = { identifier: `${base}.${suffix}`, msgType, atMs, episode, state, references: [...own] };
      own.push(message);
      messages.push(message);
    };
    const firstState = { threats: episode.startThreats, erroneous: episode.startErroneous };
    push('alert', 'Alert', episode.startMs, firstState);
    episode.updates.forEach((u, i) => push(`update${i + 1}`, 'Update', u.atMs, { threats: u.threats.length ? u.threats : firstState.threats, erroneous: u.erroneous }));
    if (episode.endMs !== null) push('cancel', 'Cancel', episode.endMs, { threats: episode.threats, erroneous: episode.erroneous });
  }
  return messages.sort((a, b) => a.atMs - b.atMs);
}

