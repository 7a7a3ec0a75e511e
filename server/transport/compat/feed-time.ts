/**
 * Time as an alert app sees it on the compatible feeds and in CAP.
 *
 * By default (`present`) the replay's current moment reads as now and every other moment keeps
 * its distance from it as in the night: an alert that began 40 minutes of night ago began 40
 * minutes before now, whatever the replay's speed. So an app that shows "under alert for 40
 * minutes", or drops entries whose `expires` has passed, behaves as on a live night. With
 * `original` the night's own timestamps (December 2025) are shown instead.
 *
 * The formatters are the ones each real service uses on the wire (see the README section
 * "Testing your alert app" for the sources).
 */
import { formatIsoInZone } from '../../domain/time.ts';
import type { Session } from '../../sessions/session.ts';

export class FeedClock {
  /** Scenario position that reads as `nowMs`. */
  readonly positionMs: number;
  /** Epoch ms of the feed's present. */
  readonly nowMs: number;

  constructor(private readonly session: Pick<Session, 'clock' | 'scenario' | 'feedTimes'>) {
    const clock = session.clock;
    this.positionMs = clock.positionMs;
    this.nowMs = this.at(clock.positionMs, clock.serverTimeMs);
  }

  /** The epoch ms at which a scenario position reads on the feeds. */
  at(positionMs: number, serverTimeMs = this.nowMs): number {
    if (this.session.feedTimes === 'original') return this.session.scenario.startMs + positionMs;
    return serverTimeMs + (positionMs - this.positionMs);
  }

  get timeZone(): string {
    return this.session.scenario.timeZone;
  }
}

/** `2025-12-05T17:36:33.000Z`: alerts.in.ua's `*_at` fields (parsed with `%Y-%m-%dT%H:%M:%S.%fZ`). */
export function isoMillisZ(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2025-12-05T17:36:33Z`: ukrainealarm's `lastUpdate`, `startDate`, `endDate`. */
export function isoSecondsZ(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2025/12/05 17:36:33 +0000`: alerts.in.ua's `meta.last_updated_at` (not ISO 8601). */
export function slashUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 19)} +0000`;
}

/** `2025-12-05T19:36:33.000000000+02:00`: alerts.com.ua's RFC 3339 with nanoseconds and the local offset. */
export function rfc3339Nanos(ms: number, timeZone: string): string {
  const base = formatIsoInZone(ms, timeZone);
  const fraction = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${base.slice(0, 19)}.${fraction}000000${base.slice(19)}`;
}

/** `2025-12-05T19:36:33+02:00`: CAP 1.2's dateTime (the schema forbids `Z`). */
export function capTime(ms: number, timeZone: string): string {
  return formatIsoInZone(Math.floor(ms / 1000) * 1000, timeZone);
}

/** `01:23:45`: ukrainealarm's `duration`, hours may pass 24. */
export function hms(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** Whole seconds, as HTTP dates carry them. */
export function floorSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
