/**
 * Alerts, region by region, from three kinds of knowledge, in order of precedence:
 * 1. what a source reports: an alert already on when the night begins (`initial.alerts`), an
 *    official record of the alert map at a moment (`alertRecords`), a reported `alert.start` or
 *    `alert.end` in `events`;
 * 2. the model: windows in which waves and carriers threaten a region (`compile-waves.ts`);
 * 3. the rule that joins them: a region's windows closer than `mergeGapMinutes` are one alert.
 *
 * A source always wins: a reported start is the start of the alert it opens, and modelled time
 * before it is dropped (or ends, as its own alert, a gap before it); a recorded alert is on from
 * its `since` through the record's moment; a region a complete record shows calm is calm then
 * (a modelled alert that would span the moment starts just after it or ends just before it, or
 * the compiler says which wave contradicts the record). What no source reports, the model fills
 * and marks `reconstructed`; modelled all-clears are spread over `clearSpreadMinutes`.
 */
import type { LocalizedText, ThreatKind } from '../domain/events.ts';
import { requireRegion } from '../domain/regions/index.ts';
import type { AlertAtStart } from '../domain/state.ts';
import { formatOffset } from '../domain/time.ts';
import type { Alerting } from '../domain/waves.ts';
import { joinNotes, NOTES } from './notes.ts';
import type { PathSegment } from './problems.ts';
import type { TimedEvent } from './compile-waves.ts';

const MINUTE = 60_000;
/** A modelled alert that starts this soon before a record that shows its region calm is moved after it. */
const SHIFT_START_MS = 10 * MINUTE;
/** A modelled alert that ends this soon after such a record is ended before it. */
const SHIFT_END_MS = 30 * MINUTE;

export interface ModelWindow {
  readonly start: number;
  readonly end: number;
  readonly threats: readonly ThreatKind[];
  readonly basis: readonly string[];
  /**
   * True for an alert declared as such (a carrier's nationwide alert): a reported start later on
   * ends it a gap before. False for a threat's window, whose start is the model's guess at the
   * lead time: a reported start replaces it.
   */
  readonly declared: boolean;
}

export interface RecordInput {
  readonly atMs: number;
  readonly source: string;
  readonly complete: boolean;
  readonly path: readonly PathSegment[];
  readonly alerts: ReadonlyArray<{ region: string; sinceMs: number; threats?: readonly ThreatKind[]; index: number }>;
}

export interface AlertInput {
  readonly model: ReadonlyMap<string, readonly ModelWindow[]>;
  readonly opening: readonly AlertAtStart[];
  readonly records: readonly RecordInput[];
  readonly explicit: readonly TimedEvent[];
  readonly alerting: Alerting;
  /** Regions the alert system covers: the ones a complete record speaks of. */
  readonly covered: readonly string[];
  /** The replay's end: an alert still on then is not lifted. */
  readonly endMs: number | undefined;
}

type Emit = (atMs: number, event: Record<string, unknown>, path: PathSegment[]) => void;
type Problems = Array<{ path: PathSegment[]; message: string }>;

interface Part {
  readonly start: number;
  readonly end: number;
  readonly declared: boolean;
  readonly threats: readonly ThreatKind[];
}

interface Span {
  start: number;
  end: number;
  /** The modelled windows joined into it. */
  parts: Part[];
  /** The alert is known to be on at least until here. */
  minEnd: number;
  threats: ThreatKind[];
  basis: Set<string>;
  startBy?: 'opening' | 'record' | 'explicit';
  startSource?: string;
  endBy?: 'explicit' | 'record';
  startNote?: LocalizedText;
  endNote?: LocalizedText;
  path: PathSegment[];
}

const addAll = <T>(into: T[], from: readonly T[]) => {
  for (const x of from) if (!into.includes(x)) into.push(x);
};

/** A region's place in an order of declarations: the same every time the file is compiled. */
export function spreadMs(region: string, spreadMinutes: number): number {
  let h = 2166136261;
  for (const c of region) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return Math.round(((h >>> 0) % 1000) / 1000 * spreadMinutes * 60) * 1000;
}

function fixedSpans(region: string, input: AlertInput, problems: Problems): Span[] {
  const clear = input.alerting.clearMinutes * MINUTE;
  const spans: Span[] = [];
  for (const a of input.opening.filter((o) => o.region === region)) {
    spans.push({ start: a.sinceMs, end: clear, minEnd: 0, parts: [], threats: [...a.threats], basis: new Set(), startBy: 'opening', path: ['initial'] });
  }
  for (const record of input.records) {
    for (const a of record.alerts.filter((x) => x.region === region)) {
      const path = [...record.path, 'alerts', a.index];
      if (a.sinceMs < 0 && !input.opening.some((o) => o.region === region)) {
        problems.push({ path: [...path, 'since'], message: `began before the scenario's start: state the alert in \`initial.alerts\`` });
        continue;
      }
      spans.push({ start: a.sinceMs, end: record.atMs + clear, minEnd: record.atMs, parts: [], threats: [...(a.threats ?? [])], basis: new Set(), startBy: 'record', startSource: record.source, path });
    }
  }
  for (const { event, atMs, path } of input.explicit) {
    if (event.type !== 'alert.start' || event.region !== region) continue;
    spans.push({ start: atMs, end: atMs + clear, minEnd: atMs, parts: [], threats: [...event.threats], basis: new Set(), startBy: 'explicit', path: [...path] });
  }
  return spans;
}

/** Joins fixed and modelled windows into alerts; a reported start always begins its own. */
function sweep(region: string, spans: Span[], input: AlertInput, problems: Problems): Span[] {
  const gap = input.alerting.mergeGapMinutes * MINUTE;
  const clear = input.alerting.clearMinutes * MINUTE;
  const result: Span[] = [];
  for (const s of spans.sort((a, b) => a.start - b.start || (a.startBy ? -1 : 1))) {
    const last = result.at(-1);
    if (!last || s.start > Math.max(last.end, last.minEnd) + gap) {
      result.push(s);
    } else if (!s.startBy) {
      join(last, s);
    } else if (last.startBy && s.start <= last.minEnd) {
      // Within an alert a source already has on: a record agrees with it; a reported start cannot.
      if (s.startBy === 'explicit') {
        problems.push({ path: s.path, message: `${requireRegion(region).name.en} (${region}) is already under the alert that began at ${formatOffset(last.start)}; a second start cannot fall inside it` });
      } else last.minEnd = Math.max(last.minEnd, s.minEnd);
      addAll(last.threats, s.threats);
    } else if (splitBefore(last, s, gap, clear)) {
      result.push(s);
    } else if (last.startBy) {
      problems.push({ path: s.path, message: `the alert in ${region} that a source has on until ${formatOffset(last.minEnd)} leaves no gap before this start at ${formatOffset(s.start)}` });
    } else {
      result[result.length - 1] = s;
    }
  }
  return result;
}

function join(into: Span, from: Span): void {
  into.end = Math.max(into.end, from.end);
  for (const p of from.parts) into.parts.push(p);
  addAll(into.threats, from.threats);
  for (const b of from.basis) into.basis.add(b);
}

/**
 * A reported start `next` after the alert `last` began: what a source had on stays in `last`, as
 * do modelled windows over by a gap before `next` and declared alerts up to that gap; the rest
 * (threats' lead time, declared alerts after the gap) becomes part of `next`. False when nothing
 * of `last` is left before it.
 */
function splitBefore(last: Span, next: Span, gap: number, clear: number): boolean {
  const cut = next.start - gap;
  const kept: Part[] = [];
  for (const p of last.parts) {
    if (p.end < cut) kept.push(p);
    else if (p.declared && cut - p.start >= gap) kept.push({ ...p, end: cut });
    if (p.end >= cut) next.parts.push(p.declared ? { ...p, start: Math.max(p.start, next.start) } : p);
  }
  next.end = Math.max(next.end, ...next.parts.map((p) => p.end));
  addAll(next.threats, last.threats);
  for (const b of last.basis) next.basis.add(b);
  if (last.startBy && last.minEnd > cut) return false;
  if (!last.startBy && kept.length === 0) return false;
  last.parts = kept;
  const fixedEnd = last.startBy ? Math.min(cut, last.minEnd + clear) : -Infinity;
  last.end = Math.max(fixedEnd, ...kept.map((p) => p.end));
  return true;
}

function applyExplicitEnds(region: string, spans: Span[], input: AlertInput, problems: Problems): void {
  const gap = input.alerting.mergeGapMinutes * MINUTE;
  for (const { event, atMs, path } of input.explicit) {
    if (event.type !== 'alert.end' || event.region !== region) continue;
    const span = spans.find((s) => s.start <= atMs && atMs <= Math.max(s.end, s.minEnd) + gap);
    if (!span) continue; // the loader reports an end with no open alert
    if (atMs < span.minEnd) problems.push({ path: [...path], message: `a source has the alert in ${region} still on at ${formatOffset(span.minEnd)}` });
    span.end = atMs;
    span.endBy = 'explicit';
  }
}

/** Makes every complete record's calm regions calm at its moment. */
function applyCalm(region: string, spans: Span[], input: AlertInput, problems: Problems): void {
  for (const record of input.records) {
    if (!record.complete || record.alerts.some((a) => a.region === region)) continue;
    const t = record.atMs;
    const nudge = 30_000 + spreadMs(region, 2.5);
    for (const span of spans.filter((s) => s.start <= t && t < s.end)) {
      if (!span.startBy && span.start >= t - SHIFT_START_MS) {
        span.start = t + nudge;
        span.startNote = NOTES.afterRecord;
      } else if (span.endBy !== 'explicit' && span.end <= t + SHIFT_END_MS && t - nudge > Math.max(span.start, span.minEnd)) {
        span.end = t - nudge;
        span.endBy = 'record';
        span.endNote = NOTES.beforeRecord;
      } else {
        problems.push({
          path: [...record.path],
          message: `the compiled alert in ${requireRegion(region).name.en} (${region}) from ${formatOffset(Math.max(0, span.start))} to ${formatOffset(span.end)} spans this record, which has the region calm; change the waves over it`,
        });
      }
    }
  }
}

/**
 * What an alert is declared for: the threats a source gives, and those of the modelled windows
 * that open it (the first, and any beginning within the merge gap after it), not the ones that
 * only join it hours later, which do not change what people were told when it began.
 */
function threatsAtStart(span: Span): ThreatKind[] {
  const threats = [...span.threats.filter((t) => !span.parts.some((p) => p.threats.includes(t)))];
  const parts = [...span.parts].sort((a, b) => a.start - b.start);
  // A source's start is explained only by threats near within half an hour (a drone's lead
  // time); a modelled one by its own.
  const first = span.startBy ? span.start : Math.max(span.start, parts[0]?.start ?? span.start);
  const within = span.startBy ? 30 * MINUTE : 10 * MINUTE;
  for (const p of parts) if (p.start <= first + within) addAll(threats, p.threats);
  return threats.length || !span.startBy ? threats : ['unspecified'];
}

/** Modelled all-clears, region by region a few minutes apart, never into the region's next alert. */
function spreadAllClears(region: string, spans: Span[], input: AlertInput): void {
  spans.forEach((span, i) => {
    if (span.endBy) return;
    const next = spans[i + 1];
    span.end = Math.min(span.end + spreadMs(region, input.alerting.clearSpreadMinutes), next ? next.start - MINUTE : Infinity);
  });
}

function emitSpan(region: string, span: Span, input: AlertInput, emit: Emit, problems: Problems): void {
  const basis = span.basis.size ? { basis: [...span.basis].sort() } : {};
  if (span.startBy === 'record' && span.start >= 0 || !span.startBy) {
    const threats = threatsAtStart(span);
    if (threats.length === 0) {
      problems.push({ path: span.path, message: `nothing tells the threats of this alert in ${region}: give it \`threats\`` });
      return;
    }
    const provenance =
      span.startBy === 'record'
        ? { source: span.startSource, note: NOTES.recordStart }
        : { reconstructed: true, note: joinNotes(span.startNote ?? NOTES.alert), ...basis };
    emit(span.start, { type: 'alert.start', region, threats, ...provenance }, ['waves']);
  }
  if (span.endBy === 'explicit') return;
  if (input.endMs !== undefined && span.end >= input.endMs) return;
  emit(span.end, { type: 'alert.end', region, reconstructed: true, note: span.endNote ?? NOTES.allClear, ...basis }, ['waves']);
}

export function compileAlerts(input: AlertInput, emit: Emit, problems: Problems): void {
  const regions = new Set<string>([
    ...input.model.keys(),
    ...input.opening.map((o) => o.region),
    ...input.records.flatMap((r) => r.alerts.map((a) => a.region)),
    ...input.explicit.flatMap((t) => (t.event.type === 'alert.start' || t.event.type === 'alert.end' ? [t.event.region] : [])),
    ...(input.records.some((r) => r.complete) ? input.covered : []),
  ]);
  for (const region of [...regions].sort()) {
    const model: Span[] = (input.model.get(region) ?? []).map((w) => ({
      start: w.start, end: w.end, minEnd: w.start, parts: [{ start: w.start, end: w.end, declared: w.declared, threats: w.threats }], threats: [...w.threats], basis: new Set(w.basis), path: ['waves'],
    }));
    const spans = sweep(region, [...fixedSpans(region, input, problems), ...model], input, problems);
    applyExplicitEnds(region, spans, input, problems);
    spreadAllClears(region, spans, input);
    applyCalm(region, spans, input, problems);
    for (const span of spans) emitSpan(region, span, input, emit, problems);
  }
}
