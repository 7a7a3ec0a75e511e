/** Times and dates as the page shows them: wall clocks in Kyiv and Warsaw, dates in the reader's language. */
import { formatLocalTime, formatOffset, resolveMoment } from '../server/domain/time.ts';
import type { Lang } from './i18n.ts';

export const KYIV = 'Europe/Kyiv';
export const WARSAW = 'Europe/Warsaw';

export const localTime = (startMs: number, positionMs: number, zone: string, seconds = false) => formatLocalTime(startMs + positionMs, zone, seconds);
export const elapsed = (positionMs: number) => formatOffset(positionMs);

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "6 December 2025" / "6 грудня 2025 р." / "6 grudnia 2025": the Kyiv calendar date of an instant. */
export function kyivDate(epochMs: number, lang: Lang, withYear = true): string {
  const key = `${lang}|${withYear}`;
  let fmt = dateFormats.get(key);
  if (!fmt) dateFormats.set(key, (fmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { timeZone: KYIV, day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' } : {}) })));
  return fmt.format(epochMs);
}

/**
 * When something began, as Kyiv time, with its date when that is not the date of `nowMs`, and
 * its year when that differs too (an alert already on before the scenario starts has a negative
 * position: Luhansk oblast's began in April 2022).
 */
export function sinceText(startMs: number, sinceMs: number, nowMs: number, lang: Lang): string {
  const time = localTime(startMs, sinceMs, KYIV);
  const date = kyivDate(startMs + sinceMs, lang, false);
  if (date === kyivDate(startMs + nowMs, lang, false)) return time;
  const year = (ms: number) => new Date(ms).getUTCFullYear();
  return `${time}, ${year(startMs + sinceMs) === year(startMs + nowMs) ? date : kyivDate(startMs + sinceMs, lang)}`;
}

export type MomentRead = { readonly ok: true; readonly ms: number } | { readonly ok: false };

/**
 * A moment as people type or share it: Kyiv time ("06:35"), Warsaw time with a W ("05:35W"),
 * an offset from the start ("+02:00") or an ISO time with offset; inside the night or refused.
 */
export function readMoment(text: string, startMs: number, durationMs: number): MomentRead {
  const trimmed = text.trim();
  const warsaw = /^(.+?)\s*[Ww]$/.exec(trimmed);
  const kyiv = /^(.+?)\s*[Kk]$/.exec(trimmed);
  const ms = warsaw ? resolveMoment(warsaw[1]!, startMs, WARSAW) : resolveMoment(kyiv ? kyiv[1]! : trimmed, startMs, KYIV);
  return ms !== undefined && ms >= 0 && ms <= durationMs ? { ok: true, ms } : { ok: false };
}
