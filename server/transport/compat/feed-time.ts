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

/**
 * How far the feed's present may drift from the replay's before it is re-anchored. While the
 * replay runs at 1x the two move together; paused or faster they part, and re-anchoring on every
 * request would shift every timestamp between two requests, so a CAP `Cancel` fetched a second
 * after its `Alert` would name it with another `sent`. Within this tolerance, and until the next
 * control (seek, pause, speed), a message keeps its times; durations stay exact either way.
 */
export const PRESENT_TOLERANCE_MS = 60_000;

interface Anchor {
  readonly offsetMs: number;
  readonly positionMs: number;
  readonly wallMs: number;
  readonly speed: number;
  readonly playing: boolean;
}

const anchors = new WeakMap<object, Anchor>();

/** True when the clock is where the anchor's run predicts: no seek, pause or speed change since. */
function unchanged(anchor: Anchor, clock: Session['clock']): boolean {
  if (anchor.playing !== clock.playing || anchor.speed !== clock.speed) return false;
  const predicted = anchor.playing ? anchor.positionMs + (clock.serverTimeMs - anchor.wallMs) * anchor.speed : anchor.positionMs;
  // The clock reports whole milliseconds and a replay that reached its end stops there.
  return Math.abs(predicted - clock.positionMs) <= 2 + anchor.speed || clock.positionMs >= clock.durationMs;
}

export class FeedClock {
  /** Scenario position of the replay's present. */
  readonly positionMs: number;
  /** Epoch ms of the feed's present. */
  readonly nowMs: number;
  private readonly offsetMs: number;

  constructor(private readonly session: Pick<Session, 'clock' | 'scenario' | 'feedTimes'>) {
    const clock = session.clock;
    this.positionMs = clock.positionMs;
    if (session.feedTimes === 'original') {
      this.offsetMs = session.scenario.startMs;
    } else {
      const wanted = clock.serverTimeMs - clock.positionMs;
      const kept = anchors.get(session);
      if (kept && unchanged(kept, clock) && Math.abs(kept.offsetMs - wanted) <= PRESENT_TOLERANCE_MS) {
        this.offsetMs = kept.offsetMs;
      } else {
        this.offsetMs = wanted;
        anchors.set(session, { offsetMs: wanted, positionMs: clock.positionMs, wallMs: clock.serverTimeMs, speed: clock.speed, playing: clock.playing });
      }
    }
    this.nowMs = this.at(this.positionMs);
  }

  /** The epoch ms at which a scenario position reads on the feeds. */
  at(positionMs: number): number {
    return positionMs + this.offsetMs;
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
