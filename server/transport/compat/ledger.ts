/**
 * The alerts of a session as the real alert services list them: episodes (an alert or a Polish
 * siren in one region, from its start to its end) and the ordered changes between them.
 *
 * Derived by folding the session's own events with the domain's `reduce`, starting from the
 * state before the first event, so what the feeds say is exactly what the map shows. An alert
 * already on when the night begins has `sinceMs` below zero: its episode starts before the
 * night's start and is listed as such.
 *
 * The fold is cached per session and continued where it stopped while the replay only moves on
 * (the seed night's ~800 events take well under a millisecond to fold from scratch, which is
 * what a seek back or an injected event costs).
 */
import type { ScenarioEvent, ThreatKind } from '../../domain/events.ts';
import { reduce } from '../../domain/reduce.ts';
import type { NightState, RegionState } from '../../domain/state.ts';
import type { PlayedNight } from '../../sessions/session.ts';

export type EpisodeKind = 'alert' | 'siren';

export interface Episode {
  /** 1-based, in the order the episodes began: a stable record id. */
  readonly n: number;
  readonly kind: EpisodeKind;
  readonly code: string;
  /** Scenario position of the start; below zero when it began before the night's start. */
  readonly startMs: number;
  endMs: number | null;
  /** Alert threats as they stand (a second declaration widens them). */
  threats: readonly ThreatKind[];
  /** Alert threats and siren flag as they were at the start. */
  readonly startThreats: readonly ThreatKind[];
  readonly startErroneous: boolean;
  /** Positions at which the alert's threats changed or a siren was marked erroneous. */
  readonly updates: Array<{ readonly atMs: number; readonly threats: readonly ThreatKind[]; readonly erroneous: boolean }>;
  /** Sirens only: sounded by mistake. */
  erroneous: boolean;
  /** Sirens only: the places named when they started. */
  readonly places: readonly string[];
}

export interface Change {
  readonly atMs: number;
  readonly episode: Episode;
  readonly on: boolean;
}

export interface Mark {
  readonly generation: number;
  readonly index: number;
}

export class Ledger {
  readonly episodes: Episode[] = [];
  readonly changes: Change[] = [];
  readonly open = new Map<string, Episode>();
  /** Rises whenever the ledger is rebuilt from scratch (a seek back, an injected event). */
  generation = 0;
  /** Rises with every start, end and update: what `Last-Modified` and ukrainealarm's `lastActionIndex` follow. */
  revision = 0;
  state: NightState;
  cursor = 0;
  /** Opening alerts come in region order, not by time: the latest change is tracked, not read off the end. */
  private latestMs: number | undefined;

  constructor(
    readonly events: readonly ScenarioEvent[],
    initial: NightState,
  ) {
    this.state = initial;
    for (const region of Object.values(initial.regions)) {
      if (region.alert) this.begin('alert', region, region.alert.sinceMs, []);
      if (region.siren) this.begin('siren', region, 0, []);
    }
  }

  /** Folds the events up to `cursor`. */
  advance(cursor: number): void {
    for (; this.cursor < cursor; this.cursor += 1) {
      const event = this.events[this.cursor]!;
      const before = this.state;
      this.state = reduce(before, event);
      if (this.state === before || !('region' in event) || typeof event.region !== 'string') continue;
      const was = before.regions[event.region];
      const now = this.state.regions[event.region];
      if (was && now && was !== now) this.compare(was, now, event);
    }
  }

  /** Where the ledger stands, to ask later for the changes since. */
  mark(): Mark {
    return { generation: this.generation, index: this.changes.length };
  }

  /** The changes after `mark`, oldest first; undefined when the ledger was rebuilt since (a seek back, an injected event). */
  since(mark: Mark): readonly Change[] | undefined {
    return mark.generation === this.generation ? this.changes.slice(mark.index) : undefined;
  }

  /** The time of the latest change, or undefined before any. */
  get lastChangeMs(): number | undefined {
    return this.latestMs;
  }

  alertsOf(code: string): Episode[] {
    return this.episodes.filter((e) => e.kind === 'alert' && e.code === code);
  }

  private compare(was: RegionState, now: RegionState, event: ScenarioEvent): void {
    if (!was.alert && now.alert) this.begin('alert', now, now.alert.sinceMs, []);
    else if (was.alert && !now.alert) this.end('alert', now.code, event.atMs);
    else if (was.alert && now.alert && was.alert.threats !== now.alert.threats) {
      const episode = this.open.get(`alert:${now.code}`);
      if (episode) {
        episode.threats = now.alert.threats;
        this.revision += 1;
        episode.updates.push({ atMs: event.atMs, threats: now.alert.threats, erroneous: false });
      }
    }
    if (!was.siren && now.siren) {
      this.begin('siren', now, event.atMs, event.type === 'siren.start' ? (event.places ?? []) : []);
    } else if (was.siren && !now.siren) this.end('siren', now.code, event.atMs);
    else if (was.siren && now.siren && was.sirenErroneous !== now.sirenErroneous) {
      const episode = this.open.get(`siren:${now.code}`);
      if (episode) {
        episode.erroneous = now.sirenErroneous;
        this.revision += 1;
        episode.updates.push({ atMs: event.atMs, threats: [], erroneous: now.sirenErroneous });
      }
    }
  }

  private begin(kind: EpisodeKind, region: RegionState, startMs: number, places: readonly string[]): void {
    const threats = kind === 'alert' && region.alert ? region.alert.threats : [];
    const erroneous = kind === 'siren' && region.sirenErroneous;
    const episode: Episode = {
      n: this.episodes.length + 1,
      kind,
      code: region.code,
      startMs,
      endMs: null,
      threats,
      startThreats: threats,
      startErroneous: erroneous,
      updates: [],
      erroneous,
      places,
    };
    this.episodes.push(episode);
    this.open.set(`${kind}:${region.code}`, episode);
    this.changes.push({ atMs: startMs, episode, on: true });
    this.latestMs = Math.max(this.latestMs ?? startMs, startMs);
    this.revision += 1;
  }

  private end(kind: EpisodeKind, code: string, atMs: number): void {
    const episode = this.open.get(`${kind}:${code}`);
    if (!episode) return;
    episode.endMs = atMs;
    this.open.delete(`${kind}:${code}`);
    this.changes.push({ atMs, episode, on: false });
    this.latestMs = Math.max(this.latestMs ?? atMs, atMs);
    this.revision += 1;
  }
}

const ledgers = new WeakMap<object, Ledger>();
let generations = 0;

/** The ledger of a session at its current cursor; `key` is the session object. */
export function ledgerOf(key: object, played: PlayedNight): Ledger {
  let ledger = ledgers.get(key);
  if (!ledger || ledger.events !== played.events || ledger.cursor > played.cursor) {
    ledger = new Ledger(played.events, played.initial);
    ledger.generation = ++generations;
    ledgers.set(key, ledger);
  }
  ledger.advance(played.cursor);
  return ledger;
}
