/**
 * The loader's validation steps that look at one part of a night at a time: each list item
 * against its schema, event times against the start, sources named, alerts that open before
 * they close, `initial.alerts` and `alertRecords` placed on the clock. Its own module so that
 * the order these run in (in build-scenario.ts) reads on one screen, apart from what each checks.
 * Every step reports into the problem list and returns what passed; none throws.
 */
import type { z } from 'zod';
import type { InputEvent } from '../domain/events.ts';
import { regionByCode, canonicalRegionCode } from '../domain/regions/index.ts';
import type { AlertRecord, OpeningAlert, scenarioHeaderSchema, Source } from '../domain/scenario.ts';
import { formatIsoInZone, formatOffset, parseAt, parseIsoWithOffset } from '../domain/time.ts';
import type { RecordInput } from './compile-alerts.ts';
import type { TimedEvent } from './compile-waves.ts';
import type { ProblemList } from './problem-list.ts';
import { formatPath, type PathSegment } from './problems.ts';

export interface Indexed<T> {
  readonly value: T;
  readonly index: number;
}

export function checkItems<T>(
  list: unknown,
  at: readonly PathSegment[],
  parse: (item: unknown) => z.ZodSafeParseResult<T>,
  problems: ProblemList,
): Indexed<T>[] {
  if (!Array.isArray(list)) return [];
  const good: Indexed<T>[] = [];
  list.forEach((item, index) => {
    const result = parse(item);
    if (result.success) good.push({ value: result.data, index });
    else problems.addZod([...at, index], result.error);
  });
  return good;
}

export function timeEvents(events: readonly Indexed<InputEvent>[], startMs: number | undefined, problems: ProblemList): TimedEvent[] {
  const timed: TimedEvent[] = [];
  for (const { value, index } of events) {
    // Offsets need no start; an absolute time can only be placed once the start is known.
    const parsed = parseAt(value.at, startMs ?? 0);
    if (!parsed.ok) {
      problems.add(['events', index, 'at'], parsed.reason);
      continue;
    }
    if (parsed.kind === 'absolute' && startMs === undefined) continue;
    if (parsed.ms < 0) {
      problems.add(['events', index, 'at'], `${value.at} is before the scenario's start`);
      continue;
    }
    if (!Number.isInteger(parsed.ms)) {
      problems.add(['events', index, 'at'], 'has a finer resolution than one millisecond');
      continue;
    }
    timed.push({ event: value, path: ['events', index], atMs: parsed.ms });
  }
  return timed;
}

/**
 * Every source named exists, and backs only what it reports: an event may name a source whose
 * `backs` leaves out its type only in `basis` (what a model drew on), never as its `source`.
 */
export function checkProvenance(events: readonly TimedEvent[], sources: ReadonlyMap<string, Source>, problems: ProblemList): void {
  const explicitIds = new Map<string, string>();
  for (const { event, path } of events) {
    const source = event.source === undefined ? undefined : sources.get(event.source);
    if (event.source !== undefined && !source) {
      problems.add([...path, 'source'], `no entry in \`sources\` has the id "${event.source}"`);
    } else if (source?.backs && !source.backs.includes(event.type)) {
      problems.add([...path, 'source'], `"${source.id}" backs only ${source.backs.join(', ')}, not a ${event.type}: name it in \`basis\` if a model drew on it`);
    }
    for (const id of event.basis ?? []) if (!sources.has(id)) problems.add([...path, 'basis'], `no entry in \`sources\` has the id "${id}"`);
    if ((event.type === 'statement' || event.type === 'claim') && !event.text) {
      problems.add(path, `a ${event.type} needs its \`text\`: what was said`);
    }
    if (event.type === 'impact' && event.region === undefined && event.position === undefined) {
      problems.add(path, 'an impact needs a `region` or a `position`');
    }
    if (event.id !== undefined) {
      const first = explicitIds.get(event.id);
      if (first !== undefined) problems.add([...path, 'id'], `id "${event.id}" is already used by ${first}`);
      else explicitIds.set(event.id, formatPath(path));
    }
  }
}

/**
 * Regions named by events that did not parse: their alerts cannot be paired reliably, so the
 * open-and-close check leaves them out rather than report a consequence of the first mistake.
 */
export function regionsOfBrokenEvents(list: unknown, parsed: readonly Indexed<InputEvent>[]): Set<string> {
  const broken = new Set<string>();
  if (!Array.isArray(list)) return broken;
  const good = new Set(parsed.map((p) => p.index));
  list.forEach((item: unknown, index) => {
    if (good.has(index) || typeof item !== 'object' || item === null) return;
    const region = (item as { region?: unknown }).region;
    if (typeof region === 'string') broken.add(canonicalRegionCode(region) ?? region);
  });
  return broken;
}

/** Alerts and sirens open before they close, and never open twice in one region. */
export function checkOpenAndClose(
  sorted: readonly TimedEvent[],
  opening: readonly OpeningAlert[],
  skipRegions: ReadonlySet<string>,
  problems: ProblemList,
): void {
  const openAlert = new Map<string, number>(opening.map((a) => [a.region, a.sinceMs]));
  const sounding = new Map<string, number>();
  for (const { event, path, atMs } of sorted) {
    if ('region' in event && event.region !== undefined && skipRegions.has(event.region)) continue;
    const name = 'region' in event && event.region ? `${regionByCode(event.region)?.name.en ?? event.region} (${event.region})` : '';
    switch (event.type) {
      case 'alert.start': {
        const since = openAlert.get(event.region);
        if (since !== undefined) {
          problems.add(path, `${name} is already under alert since ${formatOffset(since)}; end that alert first`);
        } else openAlert.set(event.region, atMs);
        break;
      }
      case 'alert.end':
        if (!openAlert.delete(event.region)) problems.add(path, `alert.end in ${name} at ${formatOffset(atMs)}, but no alert is open there`);
        break;
      case 'siren.start':
        if (!sounding.has(event.region)) sounding.set(event.region, atMs);
        break;
      case 'siren.end':
        if (!sounding.delete(event.region)) problems.add(path, `siren.end in ${name} at ${formatOffset(atMs)}, but no siren is sounding there`);
        break;
      default:
        break;
    }
  }
}

/** `initial.alerts`, placed on the scenario's clock: each began at or before position 0. */
export function openingAlerts(
  list: ReadonlyArray<z.output<typeof scenarioHeaderSchema>['initial']['alerts'][number]>,
  startMs: number,
  timeZone: string,
  problems: ProblemList,
): OpeningAlert[] {
  const seen = new Set<string>();
  const opening: OpeningAlert[] = [];
  list.forEach((a, index) => {
    const sinceMs = parseIsoWithOffset(a.since)! - startMs;
    if (sinceMs > 0) problems.add(['initial', 'alerts', index, 'since'], `${a.since} is after the scenario's start: write it as an alert.start event`);
    else if (seen.has(a.region)) problems.add(['initial', 'alerts', index, 'region'], `${a.region} has an alert in \`initial.alerts\` already`);
    else {
      seen.add(a.region);
      const { since: _since, ...rest } = a;
      opening.push({ ...rest, sinceMs, since: formatIsoInZone(startMs + sinceMs, timeZone) });
    }
  });
  return opening;
}

export function alertRecords(list: readonly AlertRecord[], startMs: number, problems: ProblemList): RecordInput[] {
  return list.map((record, r) => {
    const atMs = parseIsoWithOffset(record.at)! - startMs;
    const alerts = record.alerts.flatMap((a, index) => {
      const sinceMs = parseIsoWithOffset(a.since)! - startMs;
      if (sinceMs > atMs) {
        problems.add(['alertRecords', r, 'alerts', index, 'since'], `${a.since} is after the record's moment (${record.at})`);
        return [];
      }
      return [{ region: a.region, sinceMs, index, ...(a.threats ? { threats: a.threats } : {}) }];
    });
    const regions = alerts.map((a) => a.region);
    regions.forEach((code, i) => {
      if (regions.indexOf(code) !== i) problems.add(['alertRecords', r, 'alerts', alerts[i]!.index, 'region'], `${code} is listed twice: give its earliest \`since\` once`);
    });
    return { atMs, source: record.source, complete: record.complete, path: ['alertRecords', r], alerts };
  });
}
