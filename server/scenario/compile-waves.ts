/**
 * The wave compiler: waves (a group launched from a site, flying a route at a speed), missile
 * carriers airborne, and the alerting practice of both countries, expanded into the events a
 * night is made of:
 * - `launch`, then a `threat.move` per track every few minutes (clients interpolate between);
 * - `alert.start` in every Ukrainian region a threat will cross, a lead time (per threat kind)
 *   before it arrives, and `alert.end` once nothing remains over it, plus a margin; a region's
 *   overlapping alerts merge into one, whatever the waves that caused them;
 * - `intercept` and `impact` where the route crosses the regions they name;
 * - for carriers, alerts over many regions at once while they are airborne;
 * - for Poland, jets scrambled as threats near the border and stood down after.
 * Alert times from sources anchor the compiled ones: an explicit `alert.start` or `alert.end`
 * in `events` replaces the modelled start or end of the compiled alert it falls in.
 *
 * Everything it produces is marked `reconstructed`. It is deterministic: the same file always
 * compiles to the same events.
 */
import { geoDistance, geoInterpolate } from 'd3-geo';
import type { InputEvent, ThreatKind } from '../domain/events.ts';
import { regionAt } from '../domain/regions/geometry.ts';
import { REGIONS, requireRegion, type LonLat } from '../domain/regions/index.ts';
import { formatOffset, formatOffsetMs, parseAt } from '../domain/time.ts';
import { DEFAULT_LEAD_MINUTES, type Alerting, type Carrier, type PolandPractice, type Wave } from '../domain/waves.ts';
import type { PathSegment } from './problems.ts';

const EARTH_RADIUS_KM = 6371;
/** Route sampling step: fine enough to catch a region's corner, cheap enough for long routes. */
const SAMPLE_KM = 2;
const MINUTE = 60_000;

/** Crimea and Sevastopol are under occupation; Ukraine's alert system does not cover them. */
const NOT_ALERTED = new Set(['UA-43', 'UA-40']);
const NATIONWIDE = REGIONS.filter((r) => r.country === 'UA' && !NOT_ALERTED.has(r.code)).map((r) => r.code);
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
  readonly waves: ReadonlyArray<{ value: Wave; index: number }>;
  readonly carriers: ReadonlyArray<{ value: Carrier; index: number }>;
  readonly alerting: Alerting;
  readonly poland: PolandPractice;
  /** The file's own events, already timed: sourced alert times anchor compiled ones. */
  readonly explicit: readonly TimedEvent[];
}

export interface CompileResult {
  readonly events: TimedEvent[];
  readonly problems: Array<{ path: PathSegment[]; message: string }>;
}

interface Window {
  start: number;
  end: number;
  threats: ThreatKind[];
  origins: string[];
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

/** A wave's flight: where it is at any moment and when it is over which region. */
interface Flight {
  readonly launchMs: number;
  readonly endMs: number;
  readonly passages: ReadonlyMap<string, Array<[enter: number, exit: number]>>;
  readonly lastRegion: string | undefined;
  readonly towards: string | undefined;
  positionAt(ms: number): LonLat;
}

const roundToSecond = (ms: number) => Math.round(ms / 1000) * 1000;

export function compileWaves(input: CompileInput): CompileResult {
  const out: TimedEvent[] = [];
  const problems: CompileResult['problems'] = [];
  const windows = new Map<string, Window[]>();
  const borderPassages: Array<[number, number]> = [];
  const { alerting } = input;

  const time = (text: string, path: PathSegment[]): number | undefined => {
    const parsed = parseAt(text, input.startMs);
    if (!parsed.ok) problems.push({ path, message: parsed.reason });
    else if (parsed.ms < 0) problems.push({ path, message: `${text} is before the scenario's start` });
    else return parsed.ms;
    return undefined;
  };
  const emit = (atMs: number, event: Record<string, unknown>, path: PathSegment[]) => {
    const at = roundToSecond(atMs);
    out.push({ atMs: at, path, event: { at: formatOffsetMs(at), ...event } as InputEvent });
  };
  const addWindow = (region: string, start: number, end: number, threat: ThreatKind, origin: string) => {
    const list = windows.get(region) ?? [];
    list.push({ start: Math.max(0, start), end, threats: [threat], origins: [origin], anchoredStart: false, anchoredEnd: false });
    windows.set(region, list);
  };

  for (const { value: wave, index } of input.waves) {
    const path: PathSegment[] = ['waves', index];
    const launchMs = time(wave.launch.at, [...path, 'launch', 'at']);
    if (launchMs === undefined) continue;
    const flight = fly(wave, launchMs);
    const origin = `wave "${wave.id}"`;
    const note = [`compiled from ${origin}`, wave.note].filter(Boolean).join('; ');
    const provenance = { reconstructed: true, note, ...(wave.source ? { source: wave.source } : {}) };
    const lead = (alerting.leadMinutes[wave.threat] ?? DEFAULT_LEAD_MINUTES[wave.threat]) * MINUTE;

    for (const [region, passes] of flight.passages) {
      for (const [enter, exit] of passes) {
        if (POLISH_BORDER.includes(region)) borderPassages.push([enter, exit]);
        if (region.startsWith('UA-') && !NOT_ALERTED.has(region)) addWindow(region, enter - lead, exit + alerting.clearMinutes * MINUTE, wave.threat, origin);
      }
    }

    // Shoot-downs and hits happen where the route crosses the region they name.
    const spent: Array<{ atMs: number; count: number }> = [];
    const whenOver = (region: string, at: string | undefined, itemPath: PathSegment[]): number | undefined => {
      if (at !== undefined) {
        const atMs = time(at, [...itemPath, 'at']);
        const passes = flight.passages.get(region) ?? [];
        // A reported time must fall while the wave is over the region, give or take the margin
        // that alerting allows: otherwise the route or the launch time needs changing.
        const slack = alerting.clearMinutes * MINUTE;
        if (atMs !== undefined && !passes.some(([enter, exit]) => atMs >= enter - slack && atMs <= exit + slack)) {
          const over = passes.map(([enter, exit]) => `${formatOffset(enter)}–${formatOffset(exit)}`).join(', ') || 'never';
          problems.push({ path: [...itemPath, 'at'], message: `${at} is not while ${origin} is over ${region} (from the start: ${over}); change its route, speed or launch time` });
          return undefined;
        }
        return atMs;
      }
      const passes = flight.passages.get(region);
      if (!passes) {
        problems.push({ path: [...itemPath, 'region'], message: `the route of ${origin} does not cross ${requireRegion(region).name.en} (${region})` });
        return undefined;
      }
      const [enter, exit] = passes[0]!;
      return region === flight.lastRegion && passes.length === 1 ? exit : (enter + exit) / 2;
    };
    const items: Array<{ atMs: number; event: Record<string, unknown>; path: PathSegment[] }> = [];
    wave.intercepts.forEach((item, i) => {
      const itemPath = [...path, 'intercepts', i];
      const atMs = whenOver(item.region, item.at, itemPath);
      if (atMs === undefined) return;
      spent.push({ atMs, count: item.count });
      items.push({
        atMs,
        path: itemPath,
        event: {
          type: 'intercept',
          threat: wave.threat,
          count: item.count,
          region: item.region,
          trackId: wave.id,
          ...provenance,
          ...(item.source ? { source: item.source } : {}),
          ...(item.note ? { note: `${note}; ${item.note}` } : {}),
        },
      });
    });
    wave.impacts.forEach((item, i) => {
      const itemPath = [...path, 'impacts', i];
      const atMs = whenOver(item.region, item.at, itemPath);
      if (atMs === undefined) return;
      spent.push({ atMs, count: 1 });
      const { at: _at, reconstructed, position, source, note: itemNote, ...rest } = item;
      items.push({
        atMs,
        path: itemPath,
        event: {
          type: 'impact',
          ...rest,
          position: position ?? round(flight.positionAt(atMs)),
          threat: wave.threat,
          trackId: wave.id,
          ...provenance,
          reconstructed: reconstructed ?? true,
          ...(source ? { source } : {}),
          ...(itemNote ? { note: `${note}; ${itemNote}` } : {}),
        },
      });
    });
    const totalSpent = spent.reduce((sum, s) => sum + s.count, 0);
    if (totalSpent > wave.count) {
      problems.push({ path: [...path, 'count'], message: `is ${wave.count}, but its intercepts and impacts account for ${totalSpent}` });
    }

    if (wave.launchEvent) {
      emit(launchMs, { type: 'launch', threat: wave.threat, ...(wave.model ? { model: wave.model } : {}), count: wave.count, from: wave.launch.from, ...provenance }, path);
    }
    // Positions every few minutes with the count still flying; clients interpolate between them.
    const period = alerting.movePeriodMinutes * MINUTE;
    for (let t = launchMs; t < flight.endMs; t += period) {
      const flying = wave.count - spent.filter((s) => s.atMs < t).reduce((sum, s) => sum + s.count, 0);
      if (flying <= 0) break;
      const here = flight.positionAt(t);
      const ahead = flight.positionAt(Math.min(flight.endMs, t + MINUTE));
      emit(t, {
        type: 'threat.move',
        trackId: wave.id,
        threat: wave.threat,
        count: flying,
        position: round(here),
        heading: heading(here, ahead),
        ...(flight.towards ? { towards: flight.towards } : {}),
        reconstructed: true,
        note,
      }, path);
    }
    for (const item of items) emit(item.atMs, item.event, item.path);
    emit(flight.endMs, { type: 'threat.move', trackId: wave.id, threat: wave.threat, count: 0, position: round(flight.positionAt(flight.endMs)), reconstructed: true, note }, path);
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
    const origin = `carrier ${carrier.aircraft}`;
    const provenance = { reconstructed: true, note: [`compiled from ${origin}`, carrier.note].filter(Boolean).join('; '), ...(carrier.source ? { source: carrier.source } : {}) };
    const common = { aircraft: carrier.aircraft, ...(carrier.count ? { count: carrier.count } : {}), ...(carrier.from ? { from: carrier.from } : {}) };
    emit(takeoff, { type: 'carrier.takeoff', ...common, ...provenance }, path);
    emit(landed, { type: 'carrier.landed', ...common, ...provenance }, path);
    const regions = carrier.alerts === 'nationwide' ? NATIONWIDE : carrier.alerts;
    for (const region of regions) addWindow(region, takeoff, landed + alerting.clearMinutes * MINUTE, carrier.threat, origin);
  }

  emitAlerts(windows, input.explicit, alerting, emit, problems);
  emitPolishScramble(input, borderPassages, emit);
  return { events: out, problems };
}

/** Merges each region's alert windows, lets reported times anchor them, and emits them. */
function emitAlerts(
  windows: Map<string, Window[]>,
  explicit: readonly TimedEvent[],
  alerting: Alerting,
  emit: (atMs: number, event: Record<string, unknown>, path: PathSegment[]) => void,
  problems: CompileResult['problems'],
): void {
  const gap = alerting.mergeGapMinutes * MINUTE;
  for (const region of [...windows.keys()].sort()) {
    const merged: Window[] = [];
    for (const w of windows.get(region)!.sort((a, b) => a.start - b.start || a.end - b.end)) {
      const last = merged.at(-1);
      if (last && w.start <= last.end + gap) {
        last.end = Math.max(last.end, w.end);
        for (const t of w.threats) if (!last.threats.includes(t)) last.threats.push(t);
        for (const o of w.origins) if (!last.origins.includes(o)) last.origins.push(o);
      } else merged.push({ ...w, threats: [...w.threats], origins: [...w.origins] });
    }

    for (const { event, atMs, path } of explicit) {
      if (!('region' in event) || event.region !== region) continue;
      if (event.type === 'alert.start') {
        // A reported start belongs to the first compiled alert that has not ended by then.
        const w = merged.find((m) => atMs <= m.end && !m.anchoredStart);
        if (w) {
          w.start = atMs;
          w.anchoredStart = true;
        }
      } else if (event.type === 'alert.end') {
        // A reported end closes the last compiled alert that has begun by then.
        const w = [...merged].reverse().find((m) => atMs >= m.start && !m.anchoredEnd);
        const next = w ? merged[merged.indexOf(w) + 1] : undefined;
        if (w && (!next || atMs < next.start)) {
          w.end = atMs;
          w.anchoredEnd = true;
        }
      }
      if (merged.some((m) => m.start >= m.end)) {
        problems.push({ path: [...path], message: `this reported time leaves the compiled alert in ${region} with no length` });
        return;
      }
    }

    for (const w of merged) {
      const note = `compiled: ${w.origins.join(', ')} over the region`;
      if (!w.anchoredStart) emit(w.start, { type: 'alert.start', region, threats: w.threats, reconstructed: true, note }, ['waves']);
      if (!w.anchoredEnd) emit(w.end, { type: 'alert.end', region, reconstructed: true, note }, ['waves']);
    }
  }
}

/**
 * Polish practice (Operational Command communiqués): aircraft are scrambled when threats near
 * the border and stood down after. Reported scramble times in `events` take precedence.
 */
function emitPolishScramble(
  input: CompileInput,
  borderPassages: ReadonlyArray<[number, number]>,
  emit: (atMs: number, event: Record<string, unknown>, path: PathSegment[]) => void,
): void {
  const { poland } = input;
  if (!poland.scramble || borderPassages.length === 0) return;
  const reported = input.explicit.some((t) => (t.event.type === 'jets.scrambled' || t.event.type === 'jets.stood_down') && t.event.country === 'PL');
  if (reported) return;
  const first = Math.min(...borderPassages.map(([enter]) => enter));
  const last = Math.max(...borderPassages.map(([, exit]) => exit));
  const note = ['compiled: threats over the Ukrainian regions on the Polish border', poland.note].filter(Boolean).join('; ');
  const provenance = { reconstructed: true, note, ...(poland.source ? { source: poland.source } : {}) };
  emit(Math.max(0, first - poland.leadMinutes * MINUTE), { type: 'jets.scrambled', country: 'PL', ...provenance }, ['poland']);
  emit(last + poland.standDownMinutes * MINUTE, { type: 'jets.stood_down', country: 'PL', ...provenance }, ['poland']);
}

function resolveWaypoint(point: Wave['route'][number]): LonLat {
  return typeof point === 'string' ? requireRegion(point).centroid : [point[0], point[1]];
}

function fly(wave: Wave, launchMs: number): Flight {
  const points: LonLat[] = [wave.launch.from.position, ...wave.route.map(resolveWaypoint)];
  const legs = points.slice(1).map((to, i) => {
    const from = points[i]!;
    return { from, to, km: geoDistance(from as [number, number], to as [number, number]) * EARTH_RADIUS_KM, along: geoInterpolate(from as [number, number], to as [number, number]) };
  });
  const totalKm = legs.reduce((sum, leg) => sum + leg.km, 0);
  const msPerKm = 3_600_000 / wave.speedKmh;
  const endMs = launchMs + totalKm * msPerKm;

  const pointAtKm = (km: number): LonLat => {
    let left = Math.max(0, Math.min(km, totalKm));
    for (const leg of legs) {
      if (left <= leg.km || leg === legs.at(-1)) return leg.km === 0 ? leg.to : (leg.along(Math.min(1, left / leg.km)) as LonLat);
      left -= leg.km;
    }
    return points.at(-1)!;
  };

  const passages = new Map<string, Array<[number, number]>>();
  let current: string | undefined;
  let enteredAt = launchMs;
  const steps = Math.max(1, Math.ceil(totalKm / SAMPLE_KM));
  for (let k = 0; k <= steps; k++) {
    const km = (k / steps) * totalKm;
    const region = regionAt(pointAtKm(km), current);
    if (region === current) continue;
    const t = launchMs + km * msPerKm;
    if (current) passages.set(current, [...(passages.get(current) ?? []), [enteredAt, t]]);
    current = region;
    enteredAt = t;
  }
  if (current) passages.set(current, [...(passages.get(current) ?? []), [enteredAt, endMs]]);

  return {
    launchMs,
    endMs,
    passages,
    lastRegion: current,
    towards: current,
    positionAt: (ms: number) => pointAtKm((ms - launchMs) / msPerKm),
  };
}

/** Compass heading from `a` to `b`, in whole degrees (0 = north, 90 = east). */
function heading(a: LonLat, b: LonLat): number {
  const dLon = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  const dLat = b[1] - a[1];
  return Math.round(((Math.atan2(dLon, dLat) * 180) / Math.PI + 360) % 360) % 360;
}

function round([lon, lat]: LonLat): [number, number] {
  return [Math.round(lon * 1000) / 1000, Math.round(lat * 1000) / 1000];
}
