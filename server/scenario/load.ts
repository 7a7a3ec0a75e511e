/**
 * Reading a scenario file: YAML or JSON text in, a `Scenario` out, or every problem with its
 * place. It never throws at its caller for anything a file can contain; problems are values.
 *
 * Checks run in layers so that one mistake does not hide the others: the header, then each
 * source and each event on its own, then the rules that need the whole night (times against
 * the start, sources that exist, alerts that end only after they start).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { describeEvent } from '../domain/describe.ts';
import { inputEventSchema, type InputEvent, type ScenarioEvent } from '../domain/events.ts';
import { scenarioHeaderSchema, sourceSchema, type AlertRecord, type OpeningAlert, type Scenario, type Source } from '../domain/scenario.ts';
import { carrierSchema, waveSchema } from '../domain/waves.ts';
import type { RecordInput } from './compile-alerts.ts';
import { compileWaves, type TimedEvent } from './compile-waves.ts';
import { formatIsoInZone, formatOffset, parseAt, parseIsoWithOffset, parseOffset } from '../domain/time.ts';
import { canonicalRegionCode, regionByCode } from '../domain/regions/index.ts';
import { formatPath, type PathSegment, type Problem } from './problems.ts';
import { checkCounts, checkWaves, crowdedInstant, FILE_BUDGET, type ScenarioBudget } from './budgets.ts';

export { FILE_BUDGET, UPLOAD_BUDGET, type ScenarioBudget } from './budgets.ts';

export type LoadResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly Problem[] };

/** Files larger than this are refused before parsing: no real night needs more. */
export const MAX_SCENARIO_BYTES = 20 * 1024 * 1024;
/**
 * Problems kept in full; past this they are only counted. A broken 50,000-event file would
 * otherwise answer with a list larger than itself.
 */
export const MAX_PROBLEMS_KEPT = 1_000;

/** Where a path sits in the text: parsed only when a problem needs a line number. */
type Locator = () => { readonly doc: Document; readonly lines: LineCounter } | undefined;

class ProblemList {
  readonly items: Problem[] = [];
  private located: ReturnType<Locator> | null = null;
  private dropped = 0;

  constructor(
    private readonly file: string,
    private readonly locate: Locator = () => undefined,
  ) {}

  add(path: readonly PathSegment[], message: string): void {
    if (this.items.length >= MAX_PROBLEMS_KEPT) {
      this.dropped += 1;
      return;
    }
    this.items.push({ file: this.file, path: formatPath(path), message, ...this.position(path) });
  }

  /** Every problem kept, and one that counts those that were not. */
  all(): Problem[] {
    return this.dropped === 0 ? this.items : [...this.items, { file: this.file, path: '', message: `and ${this.dropped} more problems` }];
  }

  addZod(prefix: readonly PathSegment[], error: z.ZodError): void {
    for (const issue of error.issues) {
      this.add([...prefix, ...(issue.path as PathSegment[])], issue.message);
    }
  }

  /** Line and column of the deepest node on the path that exists in the text. */
  private position(path: readonly PathSegment[]): { line?: number; column?: number } {
    if (this.located === null) this.located = this.locate();
    if (!this.located) return {};
    const { doc, lines } = this.located;
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  }
}

/** Reads and loads a scenario file; a missing or unreadable file is a problem, not a throw. */
export async function loadScenarioFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot be read (${code ?? String(error)})`;
    return { ok: false, problems: [{ file: path, path: '', message }] };
  }
  return parseScenarioText(text, { fileName: path });
}

export interface ParseOptions {
  /** Shown in problems; its extension picks the format when `format` is not given. */
  readonly fileName: string;
  readonly format?: 'yaml' | 'json';
  /** Limits on what the file may make the loader do; files from disk get `FILE_BUDGET`. */
  readonly budget?: ScenarioBudget;
}

export function parseScenarioText(text: string, options: ParseOptions): LoadResult {
  const file = options.fileName;
  const budget = options.budget ?? FILE_BUDGET;
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES) {
    return { ok: false, problems: [{ file, path: '', message: `is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MB` }] };
  }
  const format = options.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'yaml');
  const parseWithPositions = () => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, version: '1.2' });
    return { doc, lines };
  };

  if (format === 'json') {
    // JSON.parse is many times faster on a large night; the YAML parser (JSON is a subset of
    // YAML) is run only to put line numbers on problems, or to explain a syntax error.
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { ok: false, problems: syntaxProblems(file, 'JSON', parseWithPositions().doc) };
    }
    return buildScenario(data, new ProblemList(file, parseWithPositions), budget);
  }

  const parsed = parseWithPositions();
  if (parsed.doc.errors.length > 0) return { ok: false, problems: syntaxProblems(file, 'YAML', parsed.doc).slice(0, MAX_PROBLEMS_KEPT) };
  // Resolving aliases costs more than linear time in their number: counted first, in one pass.
  let aliases = 0;
  visit(parsed.doc, { Alias: () => void (aliases += 1) });
  if (aliases > budget.maxAliases) {
    return { ok: false, problems: [{ file, path: '', message: `uses ${aliases} YAML aliases (*name); a scenario may use at most ${budget.maxAliases}` }] };
  }
  let data: unknown;
  try {
    // Aliases are capped so that a small file cannot expand into a huge one ("billion laughs").
    data = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ file, path: '', message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return buildScenario(data, new ProblemList(file, () => parsed), budget);
}

function syntaxProblems(file: string, format: 'JSON' | 'YAML', doc: Document): Problem[] {
  if (doc.errors.length === 0) return [{ file, path: '', message: `not valid ${format}` }];
  return doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return {
      file,
      path: '',
      message: `not valid ${format}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
}

/** Loads an already-parsed object (a JSON request body, say); problems carry no line numbers. */
export function loadScenarioObject(data: unknown, fileName = 'scenario', budget: ScenarioBudget = FILE_BUDGET): LoadResult {
  return buildScenario(data, new ProblemList(fileName), budget);
}

function buildScenario(data: unknown, problems: ProblemList, budget: ScenarioBudget): LoadResult {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  // Lists beyond the budget are refused before a single item is checked.
  const tooMany = checkCounts(raw, budget);
  if (tooMany.length > 0) {
    for (const p of tooMany) problems.add(p.path, p.message);
    return { ok: false, problems: problems.all() };
  }
  const header = scenarioHeaderSchema.safeParse(data);
  if (!header.success) {
    problems.addZod([], header.error);
    // Items are still checked when the top level is an object, so every mistake shows at once.
  }

  const sources = checkItems(raw.sources, ['sources'], (item) => sourceSchema.safeParse(item), problems);
  const waves = checkItems(raw.waves, ['waves'], (item) => waveSchema.safeParse(item), problems);
  const carriers = checkItems(raw.carriers, ['carriers'], (item) => carrierSchema.safeParse(item), problems);
  const events = checkItems(raw.events, ['events'], (item) => inputEventSchema.safeParse(item), problems);

  const sourceIds = new Set<string>();
  sources.forEach(({ value, index }) => {
    if (sourceIds.has(value.id)) problems.add(['sources', index, 'id'], `source id "${value.id}" is defined twice`);
    sourceIds.add(value.id);
  });

  const waveIds = new Set<string>();
  waves.forEach(({ value, index }) => {
    if (waveIds.has(value.id)) problems.add(['waves', index, 'id'], `wave id "${value.id}" is used twice`);
    waveIds.add(value.id);
  });

  const startMs = header.success ? parseIsoWithOffset(header.data.start) : undefined;
  const explicit = timeEvents(events, startMs, problems);
  const timed = [...explicit];
  const opening = header.success && startMs !== undefined ? openingAlerts(header.data.initial.alerts, startMs, header.data.timeZone, problems) : [];
  const records = header.success && startMs !== undefined ? alertRecords(header.data.alertRecords, startMs, problems) : [];
  const overBudget = header.success ? checkWaves(waves, header.data.alerting.movePeriodMinutes, explicit.length, budget) : [];
  for (const p of overBudget) problems.add(p.path, p.message);
  if (header.success && startMs !== undefined && overBudget.length === 0 && (waves.length > 0 || carriers.length > 0 || records.length > 0)) {
    const endMs = header.data.duration === undefined ? undefined : parseOffset(header.data.duration);
    const { alerting, poland } = header.data;
    const compiled = compileWaves({ startMs, endMs, waves, carriers, alerting, poland, explicit, opening, records });
    for (const p of compiled.problems) problems.add(p.path, p.message);
    // One at a time: spreading a list this long into push() overflows the stack.
    for (const event of compiled.events) timed.push(event);
  }
  checkProvenance(timed, new Map(sources.map((x) => [x.value.id, x.value])), problems);
  for (const a of header.success ? header.data.initial.alerts : []) {
    if (a.source !== undefined && !sourceIds.has(a.source)) problems.add(['initial', 'alerts'], `no entry in \`sources\` has the id "${a.source}"`);
  }

  const sorted = [...timed].sort((a, b) => a.atMs - b.atMs); // stable: same instant keeps file order
  if (sorted.length > budget.maxEvents) problems.add([], `makes ${sorted.length} events; a scenario may have at most ${budget.maxEvents}`);
  const crowded = crowdedInstant(sorted.map((t) => t.atMs), budget);
  if (crowded) {
    problems.add([], `has ${crowded.count} events at ${formatOffset(crowded.atMs)}; at most ${budget.maxEventsAtOneInstant} may happen at one instant`);
  }
  checkOpenAndClose(sorted, opening, regionsOfBrokenEvents(raw.events, events), problems);

  if (!header.success || startMs === undefined || problems.items.length > 0) {
    if (problems.items.length === 0) problems.add([], 'is not a scenario');
    return { ok: false, problems: problems.all() };
  }
  const lastAtMs = sorted.length ? sorted[sorted.length - 1]!.atMs : 0;
  const durationMs = header.data.duration === undefined ? lastAtMs : parseOffset(header.data.duration)!;
  if (durationMs < lastAtMs) {
    problems.add(['duration'], `is ${header.data.duration}, but the last event is at ${formatOffset(lastAtMs)}`);
  }
  if (problems.items.length > 0) return { ok: false, problems: problems.all() };

  const { timeZone } = header.data;
  const ids = assignIds(sorted);
  const scenarioEvents = sorted.map((t, i): ScenarioEvent => {
    const { at: _at, id: _id, text, ...rest } = t.event;
    const base = { id: ids[i]!, atMs: t.atMs, time: formatIsoInZone(startMs + t.atMs, timeZone), ...rest };
    return { ...base, text: text ?? describeEvent({ ...base, text: { en: '' } } as ScenarioEvent) } as ScenarioEvent;
  });

  return {
    ok: true,
    scenario: {
      id: header.data.id,
      title: header.data.title,
      description: header.data.description,
      start: header.data.start,
      startMs,
      timeZone,
      durationMs,
      sources: sources.map((s) => s.value),
      initial: { alerts: opening },
      events: scenarioEvents,
    },
  };
}

interface Indexed<T> {
  readonly value: T;
  readonly index: number;
}

function checkItems<T>(
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

function timeEvents(events: readonly Indexed<InputEvent>[], startMs: number | undefined, problems: ProblemList): TimedEvent[] {
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
function checkProvenance(events: readonly TimedEvent[], sources: ReadonlyMap<string, Source>, problems: ProblemList): void {
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
function regionsOfBrokenEvents(list: unknown, parsed: readonly Indexed<InputEvent>[]): Set<string> {
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
function checkOpenAndClose(
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

/** `initial.alerts`, placed on the scenario's clock: each began at or before position 0. */
function openingAlerts(
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

function alertRecords(list: readonly AlertRecord[], startMs: number, problems: ProblemList): RecordInput[] {
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
