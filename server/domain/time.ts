/**
 * Scenario time: an event's `at` is either an offset from the scenario's start ("01:42",
 * "01:42:30", "25:10:00.250"; hours may pass 24 for long nights) or an absolute ISO-8601
 * timestamp with an explicit offset. Everything else in the simulator works in milliseconds
 * from the start (`atMs`), so this module is the only place that reads the text forms.
 */

const OFFSET_FORM = /^(\d{1,3}):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?$/;
/** An offset is required: a bare local time would be read in the server's own zone. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export type AtParse =
  | { readonly ok: true; readonly kind: 'offset' | 'absolute'; readonly ms: number }
  | { readonly ok: false; readonly reason: string };

/** Milliseconds from the start for an offset form, or undefined when `text` is not one. */
export function parseOffset(text: string): number | undefined {
  const m = OFFSET_FORM.exec(text);
  if (!m) return undefined;
  const [, h, min, s, frac] = m;
  const fracMs = frac ? Number(frac.padEnd(3, '0')) : 0;
  return ((Number(h) * 60 + Number(min)) * 60 + Number(s ?? 0)) * 1000 + fracMs;
}

/** Epoch milliseconds of an ISO-8601 timestamp with offset, or undefined. */
export function parseIsoWithOffset(text: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return undefined;
  // Date.parse rolls impossible fields over (2026-02-31 becomes 3 March): they are refused instead.
  const [year, month, day, hour, minute, second, offsetH, offsetM] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59 || offsetH! > 23 || offsetM! > 59) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isAtText(text: string): boolean {
  return parseOffset(text) !== undefined || parseIsoWithOffset(text) !== undefined;
}

export const AT_FORMS_HINT =
  'expected an offset from the start such as "01:42" or "01:42:30", or an ISO-8601 time with offset such as "2025-12-06T01:42:00+02:00"';

/** Reads `at` against the scenario's start (epoch ms). */
export function parseAt(text: string, startMs: number): AtParse {
  const offset = parseOffset(text);
  if (offset !== undefined) return { ok: true, kind: 'offset', ms: offset };
  const absolute = parseIsoWithOffset(text);
  if (absolute !== undefined) return { ok: true, kind: 'absolute', ms: absolute - startMs };
  return { ok: false, reason: `"${text}" is not a time: ${AT_FORMS_HINT}` };
}

/** "HH:MM:SS" from the start; hours grow past 24 rather than wrap. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "HH:MM:SS.mmm": the offset form of `at` to the millisecond, as generated files write it. */
export function formatOffsetMs(ms: number): string {
  const whole = Math.floor(ms);
  return `${formatOffset(whole)}.${String(whole % 1000).padStart(3, '0')}`;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "05:27" (or "05:27:30" with seconds) as a wall clock in `timeZone` shows it. */
export function formatLocalTime(epochMs: number, timeZone: string, withSeconds = false): string {
  const key = `${timeZone}|${withSeconds}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    formatters.set(key, fmt);
  }
  return fmt.format(epochMs);
}

/**
 * The instant as ISO-8601 with the numeric offset that `timeZone` had then
 * ("2025-12-06T05:27:00+02:00"): how people and CAP (which forbids "Z") read times.
 */
export function formatIsoInZone(epochMs: number, timeZone: string): string {
  const offsetMin = zoneOffsetMinutes(epochMs, timeZone);
  const local = new Date(epochMs + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC that `timeZone` observed at `epochMs`. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(epochMs).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

export const MOMENT_FORMS_HINT =
  'expected a local time such as "05:20" (in the scenario\'s time zone, the first such moment after its start), an offset such as "+01:30", or an ISO-8601 time with offset';

/**
 * A moment of the night as people name it, in ms from the start, or undefined when unreadable:
 * - "05:20" or "05:20:30": that wall-clock time in `timeZone`, the first such moment at or
 *   after the start (a night that begins at 18:00 reaches "05:20" the next morning);
 * - "+01:30" or "+01:30:00": an offset from the start;
 * - an ISO-8601 time with offset.
 * The result may lie outside the night; callers clamp or refuse.
 */
export function resolveMoment(text: string, startMs: number, timeZone: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) return parseOffset(trimmed.slice(1));
  const absolute = parseIsoWithOffset(trimmed);
  if (absolute !== undefined) return absolute - startMs;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(trimmed);
  if (!m) return undefined;
  const wallMs = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  // The local calendar day of the start, then that wall time on it or on the next day.
  const startOffset = zoneOffsetMinutes(startMs, timeZone) * 60_000;
  const localMidnight = Math.floor((startMs + startOffset) / 86_400_000) * 86_400_000;
  for (let day = 0; day < 3; day++) {
    const localTarget = localMidnight + day * 86_400_000 + wallMs;
    // Two passes settle the offset where the target falls on the other side of a DST change.
    let epoch = localTarget - startOffset;
    epoch = localTarget - zoneOffsetMinutes(epoch, timeZone) * 60_000;
    if (epoch >= startMs) return epoch - startMs;
  }
  return undefined;
}

/** "2022-04-04 19:45" from an ISO time with offset, as people read it where it was written. */
export function formatSince(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
