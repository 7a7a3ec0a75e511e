/**
 * The wave compiler: waves (a group launched from a site, flying a route at a speed), missile
 * carriers airborne, and the alerting practice of both countries, expanded into the events a
 * night is made of:
 * - `launch`, then a `threat.move` per track every few minutes and at every hit (clients
 *   interpolate between them);
 * - `intercept` where the route crosses the region named, and `impact` where and when the group
 *   is: at its nearest approach to a reported place (which must be within 5 km of the route),
 *   or at a reported time (when the group must be within 5 km of the place);
 * - alert windows in every Ukrainian region a threat will cross, a lead time (per threat kind)
 *   before it arrives until a margin after it has left, and for carriers over many regions at
 *   once while they are airborne, which `compile-alerts.ts` joins with what sources report;
 * - for Poland, jets scrambled as threats near the border and stood down after.
 *
 * What it models is `reconstructed`, with a note in three languages. A wave's or a carrier's
 * `source` is what its model is based on, so compiled events list it in `basis`; only an item
 * that a source reports itself (an intercept's count, a hit) carries it as `source`.
 * Deterministic: the same file always compiles to the same events.
 */
import type { InputEvent, LocalizedText } from '../domain/events.ts';
import { REGIONS, requireRegion, type LonLat } from '../domain/regions/index.ts';
import type { AlertAtStart } from '../domain/state.ts';
import { formatOffset, formatOffsetMs, parseAt } from '../domain/time.ts';
import { DEFAULT_LEAD_MINUTES, type Alerting, type Carrier, type PolandPractice, type Wave } from '../domain/waves.ts';
import { compileAlerts, spreadMs, type ModelWindow, type RecordInput } from './compile-alerts.ts';
import { distanceKm, fly, heading, roundPosition, type Flight } from './flight.ts';
import { joinNotes, NOTES } from './notes.ts';
import type { PathSegment } from './problems.ts';

const MINUTE = 60_000;
/** How far from its group's track a hit may be: a few kilometres, the size of a town. */
export const MAX_OFF_TRACK_KM = 5;

/** Crimea and Sevastopol are under occupation; Ukraine's alert system does not cover them. */
const NOT_ALERTED = new Set(['UA-43', 'UA-40']);
export const NATIONWIDE = REGIONS.filter((r) => r.country === 'UA' && !NOT_ALERTED.has(r.code)).map((r) => r.code);
/** Ukrainian regions that share a border with Poland (from the boundary data). */
const POLISH_BORDER = REGIONS.filter((r) => r.country === 'UA' && r.neighbours.some((n) => n.startsWith('PL-'))).map((r) => r.code);

export interface TimedEvent {
  readonly event: InputEvent;
  readonly atMs: number;
  /** Where the event came from, for problems: `events[3]`, or `waves[1]` for compiled ones. */
  readonly path: readonly PathSegment[];
}

export interface CompileInput {
  readonly startMs: number;
  /** The replay's end, when the file gives one: alerts still on then are not lifted. */
  readonly endMs?: number;
  readonly waves: ReadonlyArray<{ value: Wave; index: number }>;
  readonly carriers: ReadonlyArray<{ value: Carrier; index: number }>;
  readonly alerting: Alerting;
  readonly poland: PolandPractice;
  /** The file's own events, already timed: sourced alert times anchor compiled ones. */
  readonly explicit: readonly TimedEvent[];
  readonly opening?: readonly AlertAtStart[];
  readonly records?: readonly RecordInput[];
}

export interface CompileResult {
  readonly events: TimedEvent[];
  readonly problems: Array<{ path: PathSegment[]; message: string }>;
}

type Emit = (atMs: number, event: Record<string, unknown>, path: PathSegment[]) => void;
type Problems = CompileResult['problems'];

const roundToSecond = (ms: number) => Math.round(ms / 1000) * 1000;
const basisOf = (source: string | undefined) => (source ? { basis: [source] } : {});

export function compileWaves(input: CompileInput): CompileResult {
  const out: TimedEvent[] = [];
  const problems: Problems = [];
  const windows = new Map<string, ModelWindow[]>();
  const borderPassages: Array<[number, number]> = [];
  const time = (text: string, path: PathSegment[]): number | undefined => {
    const parsed = parseAt(text, input.startMs);
    if (!parsed.ok) problems.push({ path, message: parsed.reason });
    else if (parsed.ms < 0) problems.push({ path, message: `${text} is before the scenario's start` });
    else return parsed.ms;
    return undefined;
  };
  const emit: Emit = (atMs, event, path) => {
    const at = roundToSecond(atMs);
    out.push({ atMs: at, path, event: { at: formatOffsetMs(at), ...event } as InputEvent });
  };
  const addWindow = (region: string, window: ModelWindow) => {
    const list = windows.get(region) ?? [];
    list.push({ ...window, start: Math.max(0, window.start) });
    windows.set(region, list);
  };

  for (const { value: wave, index } of input.waves) {
    const path: PathSegment[] = ['waves', index];
    const launchMs = time(wave.launch.at, [...path, 'launch', 'at']);
    if (launchMs === undefined) continue;
    const flight = fly(wave, launchMs);
    const lead = (input.alerting.leadMinutes[wave.threat] ?? DEFAULT_LEAD_MINUTES[wave.threat]) * MINUTE;
    for (const [region, passes] of flight.passages) {
      for (const [enter, exit] of passes) {
        if (POLISH_BORDER.includes(region)) borderPassages.push([enter, exit]);
        if (NATIONWIDE.includes(region)) {
          addWindow(region, { start: enter - lead, end: exit + input.alerting.clearMinutes * MINUTE, threats: [wave.threat], basis: wave.source ? [wave.source] : [], declared: false });
        }
      }
    }
    compileWave(wave, path, flight, time, emit, problems, input.alerting);
  }

  for (const { value: carrier, index } of input.carriers) {
    const path: PathSegment[] = ['carriers', index];
    const takeoff = time(carrier.takeoffAt, [...path, 'takeoffAt']);
    const landed = time(carrier.landedAt, [...path, 'landedAt']);
    if (takeoff === undefined || landed === undefined) continue;
    if (landed <= takeoff) {
      problems.push({ path: [...path, 'landedAt'], message: `${carrier.landedAt} is not after the take-off at ${carrier.takeoffAt}` });
      continue;
    }
    const common = { aircraft: carrier.aircraft, ...(carrier.count ? { count: carrier.count } : {}), ...(carrier.from ? { from: carrier.from } : {}) };
    const reported = carrier.source ? { source: carrier.source, note: joinNotes(NOTES.takeoff, carrier.note) } : { note: joinNotes(NOTES.landed, carrier.note) };
    emit(takeoff, { type: 'carrier.takeoff', ...common, reconstructed: true, ...reported }, path);
    emit(landed, { type: 'carrier.landed', ...common, reconstructed: true, note: joinNotes(NOTES.landed, carrier.note), ...basisOf(carrier.source) }, path);
    const regions = carrier.alerts === 'nationwide' ? NATIONWIDE : carrier.alerts;
    // A nationwide alert goes out region by region within a minute (the official channel's record
    // has Lviv oblast's seven raions declared over 32 seconds).
    for (const region of regions) {
      addWindow(region, { start: takeoff + spreadMs(region, 1), end: landed + input.alerting.clearMinutes * MINUTE, threats: [carrier.threat], basis: carrier.source ? [carrier.source] : [], declared: true });
    }
  }

  compileAlerts(
    { model: windows, opening: input.opening ?? [], records: input.records ?? [], explicit: input.explicit, alerting: input.alerting, covered: NATIONWIDE, endMs: input.endMs },
    emit,
    problems,
  );
  emitPolishScramble(input, borderPassages, emit);
  return { events: out, problems };
}

type TimeOf = (text: string, path: PathSegment[]) => number | undefined;

/** When and where a wave's hit or shoot-down happens, or why it cannot. */
function placeItem(
  wave: Wave,
  flight: Flight,
  item: { region: string; at?: string; position?: LonLat },
  itemPath: PathSegment[],
  time: TimeOf,
  problems: Problems,
): { atMs: number; position: LonLat } | undefined {
  const origin = `the route of wave "${wave.id}"`;
  const passes = flight.passages.get(item.region);
  if (!passes) {
    problems.push({ path: [...itemPath, 'region'], message: `${origin} does not cross ${requireRegion(item.region).name.en} (${item.region})` });
    return undefined;
  }
  const atMs = item.at === undefined ? undefined : time(item.at, [...itemPath, 'at']);
  if (item.at !== undefined && atMs === undefined) return undefined;
  if (item.position) {
    const nearest = flight.nearestApproach(item.position, item.region);
    if (atMs === undefined) {
      if (nearest.km <= MAX_OFF_TRACK_KM) return { atMs: nearest.atMs, position: item.position };
      problems.push({ path: [...itemPath, 'position'], message: `${origin} passes ${Math.round(nearest.km)} km from this place at the nearest; add it as a waypoint` });
      return undefined;
    }
    const off = distanceKm(flight.positionAt(atMs), item.position);
    if (off <= MAX_OFF_TRACK_KM) return { atMs, position: item.position };
    problems.push({
      path: [...itemPath, 'at'],
      message: `the group is ${Math.round(off)} km from this place at ${item.at}; it passes nearest (${Math.round(nearest.km)} km) at ${formatOffset(nearest.atMs)} from the start: change its route, speed or launch time`,
    });
    return undefined;
  }
  if (atMs !== undefined) {
    if (passes.some(([enter, exit]) => atMs >= enter && atMs <= exit)) return { atMs, position: flight.positionAt(atMs) };
    const over = passes.map(([enter, exit]) => `${formatOffset(enter)}–${formatOffset(exit)}`).join(', ');
    problems.push({ path: [...itemPath, 'at'], message: `${item.at} is not while ${origin} is over ${item.region} (from the start: ${over}); change its route, speed or launch time` });
    return undefined;
  }
  const [enter, exit] = passes[0]!;
  const at = item.region === flight.lastRegion && passes.length === 1 ? exit : (enter + exit) / 2;
  return { atMs: at, position: flight.positionAt(at) };
}

/** A wave's launch, positions, shoot-downs and hits. */
function compileWave(wave: Wave, path: PathSegment[], flight: Flight, time: TimeOf, emit: Emit, problems: Problems, alerting: Alerting): void {
  const basis = basisOf(wave.source);
  const modelled = (note: LocalizedText, itemNote?: LocalizedText) => ({ reconstructed: true, note: joinNotes(note, itemNote ?? wave.note), ...basis });
  const spent: Array<{ atMs: number; count: number }> = [];
  const items: Array<{ atMs: number; event: Record<string, unknown>; path: PathSegment[]; position?: LonLat }> = [];

  wave.intercepts.forEach((item, i) => {
    const itemPath = [...path, 'intercepts', i];
    const placed = placeItem(wave, flight, item, itemPath, time, problems);
    if (!placed) return;
    spent.push({ atMs: placed.atMs, count: item.count });
    const timed = item.at === undefined;
    const provenance = item.source
      ? { reconstructed: timed, source: item.source, ...(timed || item.note ? { note: joinNotes(timed ? NOTES.interceptTimed : undefined, item.note) } : {}), ...basis }
      : modelled(NOTES.intercept, item.note);
    items.push({ atMs: placed.atMs, path: itemPath, event: { type: 'intercept', threat: wave.threat, count: item.count, region: item.region, trackId: wave.id, ...provenance } });
  });
  wave.impacts.forEach((item, i) => {
    const itemPath = [...path, 'impacts', i];
    const placed = placeItem(wave, flight, item, itemPath, time, problems);
    if (!placed) return;
    spent.push({ atMs: placed.atMs, count: 1 });
    const { at: _at, reconstructed, position: _position, source, note, ...rest } = item;
    const provenance = source
      ? { reconstructed: reconstructed ?? true, source, ...(reconstructed === false && !note ? {} : { note: joinNotes(reconstructed === false ? undefined : NOTES.impact, note) }), ...basis }
      : modelled(NOTES.placeholder, note);
    items.push({
      atMs: placed.atMs,
      path: itemPath,
      position: placed.position,
      event: { type: 'impact', ...rest, position: item.position ?? roundPosition(placed.position), threat: wave.threat, trackId: wave.id, ...provenance },
    });
  });
  const totalSpent = spent.reduce((sum, s) => sum + s.count, 0);
  if (totalSpent > wave.count) problems.push({ path: [...path, 'count'], message: `is ${wave.count}, but its intercepts and impacts account for ${totalSpent}` });

  if (wave.launchEvent) {
    const from = { type: 'launch', threat: wave.threat, ...(wave.model ? { model: wave.model } : {}), count: wave.count, from: wave.launch.from };
    emit(flight.launchMs, { ...from, ...(wave.launch.source ? { reconstructed: true, source: wave.launch.source, note: joinNotes(NOTES.launch, wave.note) } : modelled(NOTES.launch)) }, path);
  }
  emitMoves(wave, flight, spent, items, alerting, emit, path, modelled(NOTES.move));
  for (const item of items) emit(item.atMs, item.event, item.path);
}

/**
 * Positions every few minutes, and at each hit (so the group is seen where it strikes), with the
 * count still flying; a last one with count 0 when the route ends.
 */
function emitMoves(
  wave: Wave,
  flight: Flight,
  spent: ReadonlyArray<{ atMs: number; count: number }>,
  items: ReadonlyArray<{ atMs: number; position?: LonLat }>,
  alerting: Alerting,
  emit: Emit,
  path: PathSegment[],
  provenance: Record<string, unknown>,
): void {
  const period = alerting.movePeriodMinutes * MINUTE;
  const times = new Set<number>();
  for (let t = flight.launchMs; t < flight.endMs; t += period) times.add(roundToSecond(t));
  for (const item of items) if (item.position && item.atMs < flight.endMs) times.add(roundToSecond(item.atMs));
  const spentBefore = (t: number) => spent.reduce((sum, s) => sum + (s.atMs < t ? s.count : 0), 0);
  const towards = flight.lastRegion ? { towards: flight.lastRegion } : {};
  for (const t of [...times].sort((a, b) => a - b)) {
    const flying = wave.count - spentBefore(t);
    if (flying <= 0) break;
    const here = flight.positionAt(t);
    const ahead = flight.positionAt(Math.min(flight.endMs, t + MINUTE));
    emit(t, { type: 'threat.move', trackId: wave.id, threat: wave.threat, count: flying, position: roundPosition(here), heading: heading(here, ahead), ...towards, ...provenance }, path);
  }
  emit(flight.endMs, { type: 'threat.move', trackId: wave.id, threat: wave.threat, count: 0, position: roundPosition(flight.positionAt(flight.endMs)), ...provenance }, path);
}

/**
 * Polish practice (Operational Command communiqués): aircraft are scrambled when threats near
 * the border and stood down after. Reported scramble times in `events` take precedence.
 */
function emitPolishScramble(input: CompileInput, borderPassages: ReadonlyArray<[number, number]>, emit: Emit): void {
  const { poland } = input;
  if (!poland.scramble || borderPassages.length === 0) return;
  const reported = input.explicit.some((t) => (t.event.type === 'jets.scrambled' || t.event.type === 'jets.stood_down') && t.event.country === 'PL');
  if (reported) return;
  const first = borderPassages.reduce((min, [enter]) => Math.min(min, enter), Infinity);
  const last = borderPassages.reduce((max, [, exit]) => Math.max(max, exit), -Infinity);
  const provenance = { reconstructed: true, note: joinNotes(NOTES.scramble, poland.note), ...basisOf(poland.source) };
  emit(Math.max(0, first - poland.leadMinutes * MINUTE), { type: 'jets.scrambled', country: 'PL', ...provenance }, ['poland']);
  emit(last + poland.standDownMinutes * MINUTE, { type: 'jets.stood_down', country: 'PL', ...provenance }, ['poland']);
}
