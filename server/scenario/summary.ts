/**
 * What a scenario amounts to, for its author: events per type, each region's alerts (how many,
 * first start, last end, time under alert) and the totals per threat, as `air-raid-sim compile
 * --summary` prints them.
 */
import { LAUNCHED_KINDS, type EventType, type ThreatKind } from '../domain/events.ts';
import { foldEvents } from '../domain/reduce.ts';
import { regionByCode } from '../domain/regions/index.ts';
import type { Scenario } from '../domain/scenario.ts';
import { initialState } from '../domain/state.ts';
import { formatLocalTime, formatOffset, formatSince } from '../domain/time.ts';

export interface RegionAlertSummary {
  readonly region: string;
  /** When the alert on at the start began (ISO), for a region already under alert then. */
  readonly openSince?: string;
  readonly alerts: number;
  readonly firstStartMs: number;
  readonly lastEndMs: number | null;
  readonly underAlertMs: number;
}

export interface ScenarioSummary {
  readonly eventsByType: Partial<Record<EventType, number>>;
  readonly alertsByRegion: RegionAlertSummary[];
  readonly launched: Partial<Record<ThreatKind, number>>;
  readonly intercepted: Partial<Record<ThreatKind, number>>;
  readonly impacts: number;
  readonly debris: number;
  readonly injured: number;
  readonly killed: number;
  readonly reconstructed: number;
  readonly sourced: number;
}

export function summarize(scenario: Scenario): ScenarioSummary {
  const eventsByType: Partial<Record<EventType, number>> = {};
  const alerts = new Map<string, { alerts: number; first: number; lastEnd: number | null; openSince: number | null; total: number; since?: string }>();
  for (const a of scenario.initial.alerts) {
    // Time under alert counts within the replay only: from position 0, not from its real start.
    alerts.set(a.region, { alerts: 1, first: a.sinceMs, lastEnd: null, openSince: 0, total: 0, since: a.since });
  }
  for (const e of scenario.events) {
    eventsByType[e.type] = (eventsByType[e.type] ?? 0) + 1;
    if (e.type === 'alert.start') {
      const a = alerts.get(e.region) ?? { alerts: 0, first: e.atMs, lastEnd: null, openSince: null, total: 0 };
      a.alerts += 1;
      a.openSince = e.atMs;
      alerts.set(e.region, a);
    } else if (e.type === 'alert.end') {
      const a = alerts.get(e.region);
      if (a && a.openSince !== null) {
        a.total += e.atMs - a.openSince;
        a.openSince = null;
        a.lastEnd = e.atMs;
      }
    }
  }
  const final = foldEvents(initialState(scenario.initial.alerts), scenario.events);
  const nonZero = <K extends string>(record: Readonly<Record<K, number>>) =>
    Object.fromEntries(Object.entries(record).filter(([, n]) => (n as number) > 0)) as Partial<Record<K, number>>;
  return {
    eventsByType,
    alertsByRegion: [...alerts]
      .map(([region, a]) => ({
        region,
        ...(a.since ? { openSince: a.since } : {}),
        alerts: a.alerts,
        firstStartMs: a.first,
        lastEndMs: a.openSince === null ? a.lastEnd : null,
        underAlertMs: a.total + (a.openSince === null ? 0 : scenario.durationMs - a.openSince),
      }))
      .sort((x, y) => x.firstStartMs - y.firstStartMs || x.region.localeCompare(y.region)),
    launched: nonZero(final.counters.launched),
    intercepted: nonZero(final.counters.intercepted),
    impacts: final.counters.impacts,
    debris: final.counters.debris,
    injured: final.counters.injured,
    killed: final.counters.killed,
    reconstructed: scenario.events.filter((e) => e.reconstructed).length,
    sourced: scenario.events.filter((e) => e.source !== undefined).length,
  };
}

export function formatSummary(scenario: Scenario, summary: ScenarioSummary): string {
  const local = (ms: number) => formatLocalTime(scenario.startMs + ms, scenario.timeZone);
  const lines: string[] = [];
  lines.push(`${scenario.title.en}`);
  lines.push(`${scenario.events.length} events over ${formatOffset(scenario.durationMs)}; ${summary.sourced} with a source, ${summary.reconstructed} reconstructed`);
  lines.push('', 'Events by type:');
  for (const [type, n] of Object.entries(summary.eventsByType).sort(([, a], [, b]) => b - a)) lines.push(`  ${type.padEnd(16)} ${String(n).padStart(5)}`);
  lines.push('', `Alerts by region (${scenario.timeZone} time), in order of first alert:`);
  for (const a of summary.alertsByRegion) {
    const name = `${a.region} ${regionByCode(a.region)?.name.en ?? ''}`.padEnd(26);
    const end = a.lastEndMs === null ? 'still on at the end' : `last end ${local(a.lastEndMs)}`;
    const first = a.openSince ? `under alert since ${formatSince(a.openSince)}` : `first ${local(a.firstStartMs)}`;
    lines.push(`  ${name} ${String(a.alerts).padStart(2)} alert${a.alerts === 1 ? ' ' : 's'}  ${first}  ${end}  under alert ${formatOffset(a.underAlertMs).slice(0, 5)}`);
  }
  lines.push('', 'Totals by threat:');
  const kinds = [...new Set([...LAUNCHED_KINDS, ...Object.keys(summary.intercepted)])] as ThreatKind[];
  for (const kind of kinds) {
    const launched = summary.launched[kind] ?? 0;
    const intercepted = summary.intercepted[kind] ?? 0;
    if (launched || intercepted) lines.push(`  ${kind.padEnd(22)} launched ${String(launched).padStart(4)}  shot down ${String(intercepted).padStart(4)}`);
  }
  lines.push(`  hits: ${summary.impacts}; debris damage: ${summary.debris}; injured: ${summary.injured}; killed: ${summary.killed}`);
  return `${lines.join('\n')}\n`;
}
