/**
 * The order of the loader's checks, and the `Scenario` made once they all pass. Its own module
 * because the order is the design: counts first (lists beyond the budget are refused before a
 * single item is checked), then the header and each item on its own, then the rules that need
 * the whole night, so that one mistake does not hide the others. Text never reaches this far:
 * it gets data and a problem list, from a file or from a request body alike.
 */
import type { z } from 'zod';
import { describeEvent } from '../domain/describe.ts';
import { inputEventSchema, type ScenarioEvent } from '../domain/events.ts';
import { scenarioHeaderSchema, sourceSchema, type OpeningAlert, type Scenario } from '../domain/scenario.ts';
import { formatIsoInZone, formatOffset, parseIsoWithOffset, parseOffset } from '../domain/time.ts';
import { carrierSchema, waveSchema } from '../domain/waves.ts';
import { checkCounts, checkWaves, crowdedInstant, type ScenarioBudget } from './budgets.ts';
import { compileWaves, type TimedEvent } from './compile-waves.ts';
import {
  alertRecords,
  checkItems,
  checkOpenAndClose,
  checkProvenance,
  openingAlerts,
  regionsOfBrokenEvents,
  timeEvents,
  type Indexed,
} from './load-checks.ts';
import type { ProblemList } from './problem-list.ts';
import type { PathSegment, Problem } from './problems.ts';

export type LoadResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly Problem[] };

type Header = z.output<typeof scenarioHeaderSchema>;
type Lists = ReturnType<typeof checkLists>;

export function buildScenario(data: unknown, problems: ProblemList, budget: ScenarioBudget): LoadResult {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  // Lists beyond the budget are refused before a single item is checked.
  const tooMany = checkCounts(raw, budget);
  if (tooMany.length > 0) {
    for (const p of tooMany) problems.add(p.path, p.message);
    return { ok: false, problems: problems.all() };
  }
  const parsed = scenarioHeaderSchema.safeParse(data);
  // Items are still checked when the top level is an object, so every mistake shows at once.
  if (!parsed.success) problems.addZod([], parsed.error);
  const header = parsed.success ? parsed.data : undefined;
  const lists = checkLists(raw, problems);
  const startMs = header ? parseIsoWithOffset(header.start) : undefined;
  const { timed, opening } = placeEvents(header, startMs, lists, budget, problems);
  checkProvenance(timed, new Map(lists.sources.map((x) => [x.value.id, x.value])), problems);
  for (const a of header ? header.initial.alerts : []) {
    if (a.source !== undefined && !lists.sourceIds.has(a.source)) problems.add(['initial', 'alerts'], `no entry in \`sources\` has the id "${a.source}"`);
  }
  const sorted = [...timed].sort((a, b) => a.atMs - b.atMs); // stable: same instant keeps file order
  checkEventCounts(sorted, budget, problems);
  checkOpenAndClose(sorted, opening, regionsOfBrokenEvents(raw.events, lists.events), problems);
  if (!header || startMs === undefined || problems.items.length > 0) {
    if (problems.items.length === 0) problems.add([], 'is not a scenario');
    return { ok: false, problems: problems.all() };
  }
  return assemble(header, startMs, sorted, lists, opening, problems);
}

/** Each item of each list against its schema; ids of sources and waves used once. */
function checkLists(raw: Record<string, unknown>, problems: ProblemList) {
  const sources = checkItems(raw.sources, ['sources'], (item) => sourceSchema.safeParse(item), problems);
  const waves = checkItems(raw.waves, ['waves'], (item) => waveSchema.safeParse(item), problems);
  const carriers = checkItems(raw.carriers, ['carriers'], (item) => carrierSchema.safeParse(item), problems);
  const events = checkItems(raw.events, ['events'], (item) => inputEventSchema.safeParse(item), problems);
  const sourceIds = reportReusedIds(sources, ['sources'], (id) => `source id "${id}" is defined twice`, problems);
  reportReusedIds(waves, ['waves'], (id) => `wave id "${id}" is used twice`, problems);
  return { sources, waves, carriers, events, sourceIds };
}

function reportReusedIds(
  items: readonly Indexed<{ readonly id: string }>[],
  at: readonly PathSegment[],
  message: (id: string) => string,
  problems: ProblemList,
): Set<string> {
  const ids = new Set<string>();
  items.forEach(({ value, index }) => {
    if (ids.has(value.id)) problems.add([...at, index, 'id'], message(value.id));
    ids.add(value.id);
  });
  return ids;
}

/** Events on the scenario's clock: the file's own, then those compiled from waves and records. */
function placeEvents(
  header: Header | undefined,
  startMs: number | undefined,
  lists: Lists,
  budget: ScenarioBudget,
  problems: ProblemList,
): { timed: TimedEvent[]; opening: OpeningAlert[] } {
  const explicit = timeEvents(lists.events, startMs, problems);
  const timed = [...explicit];
  if (!header) return { timed, opening: [] };
  const opening = startMs !== undefined ? openingAlerts(header.initial.alerts, startMs, header.timeZone, problems) : [];
  const records = startMs !== undefined ? alertRecords(header.alertRecords, startMs, problems) : [];
  const { waves, carriers } = lists;
  const overBudget = checkWaves(waves, header.alerting.movePeriodMinutes, explicit.length, budget);
  for (const p of overBudget) problems.add(p.path, p.message);
  if (startMs !== undefined && overBudget.length === 0 && (waves.length > 0 || carriers.length > 0 || records.length > 0)) {
    const endMs = header.duration === undefined ? undefined : parseOffset(header.duration);
    const { alerting, poland } = header;
    const compiled = compileWaves({ startMs, endMs, waves, carriers, alerting, poland, explicit, opening, records });
    for (const p of compiled.problems) problems.add(p.path, p.message);
    // One at a time: spreading a list this long into push() overflows the stack.
    for (const event of compiled.events) timed.push(event);
  }
  return { timed, opening };
}

function checkEventCounts(sorted: readonly TimedEvent[], budget: ScenarioBudget, problems: ProblemList): void {
  if (sorted.length > budget.maxEvents) problems.add([], `makes ${sorted.length} events; a scenario may have at most ${budget.maxEvents}`);
  const crowded = crowdedInstant(sorted.map((t) => t.atMs), budget);
  if (crowded) {
    problems.add([], `has ${crowded.count} events at ${formatOffset(crowded.atMs)}; at most ${budget.maxEventsAtOneInstant} may happen at one instant`);
  }
}

/** The duration checked against the last event, then the `Scenario` with ids, times and texts. */
function assemble(
  header: Header,
  startMs: number,
  sorted: readonly TimedEvent[],
  lists: Lists,
  opening: OpeningAlert[],
  problems: ProblemList,
): LoadResult {
  const lastAtMs = sorted.length ? sorted[sorted.length - 1]!.atMs : 0;
  const durationMs = header.duration === undefined ? lastAtMs : parseOffset(header.duration)!;
  if (durationMs < lastAtMs) {
    problems.add(['duration'], `is ${header.duration}, but the last event is at ${formatOffset(lastAtMs)}`);
  }
  if (problems.items.length > 0) return { ok: false, problems: problems.all() };

  const { timeZone } = header;
  const ids = assignIds(sorted);
  const events = sorted.map((t, i): ScenarioEvent => {
    const { at: _at, id: _id, text, ...rest } = t.event;
    const base = { id: ids[i]!, atMs: t.atMs, time: formatIsoInZone(startMs + t.atMs, timeZone), ...rest };
    return { ...base, text: text ?? describeEvent({ ...base, text: { en: '' } } as ScenarioEvent) } as ScenarioEvent;
  });
  const { id, title, description, start } = header;
  const sources = lists.sources.map((s) => s.value);
  return { ok: true, scenario: { id, title, description, start, startMs, timeZone, durationMs, sources, initial: { alerts: opening }, events } };
}

/**
 * Stable, readable ids: the author's where given, otherwise time, type and region, so that
 * loading the same file twice gives the same ids and editing one event renames no other.
 */
function assignIds(sorted: readonly TimedEvent[]): string[] {
  const taken = new Set<string>();
  for (const t of sorted) if (t.event.id !== undefined) taken.add(t.event.id);
  // The next suffix to try for each base: ids once taken stay taken, so each base's search
  // resumes where it stopped, and 8,000 events at one instant cost 8,000 steps, not 32 million.
  const nextSuffix = new Map<string, number>();
  return sorted.map(({ event, atMs }) => {
    if (event.id !== undefined) return event.id;
    const region = 'region' in event && event.region ? `-${event.region}` : '';
    const track = 'trackId' in event && event.trackId ? `-${event.trackId}` : '';
    const base = `${formatOffset(atMs).replaceAll(':', '')}-${event.type}${region}${track}`.slice(0, 72);
    let id = base;
    let n = nextSuffix.get(base) ?? 2;
    if (nextSuffix.has(base) || taken.has(id)) {
      for (id = `${base}-${n}`; taken.has(id); id = `${base}-${n}`) n += 1;
      n += 1;
    }
    nextSuffix.set(base, n);
    taken.add(id);
    return id;
  });
}

