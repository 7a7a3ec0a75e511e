/**
 * What the night looks like at one moment: the fold of every event up to it. The same shape
 * goes out in `snapshot` messages and is rebuilt by the browser with the same `reduce`.
 */
import type { Country } from './regions/index.ts';
import { REGIONS } from './regions/index.ts';
import { LAUNCHED_KINDS, THREAT_KINDS, type LaunchedKind, type ThreatKind } from './kinds.ts';
import type { LonLat } from './regions/index.ts';

export interface RegionAlert {
  /**
   * Scenario position at which the alert began: negative for an alert already on when the
   * night starts (Luhansk oblast's has been on since April 2022, about -115,000,000,000 ms).
   */
  readonly sinceMs: number;
  readonly threats: readonly ThreatKind[];
}

export interface RegionState {
  readonly code: string;
  readonly country: Country;
  readonly alert: RegionAlert | null;
  readonly siren: boolean;
  /** True while the sounding sirens are known to have been set off by mistake. */
  readonly sirenErroneous: boolean;
  /** Hits and falling debris reported in the region so far. */
  readonly impacts: number;
  readonly outage: boolean;
}

export interface Track {
  readonly trackId: string;
  readonly threat: ThreatKind;
  readonly count: number;
  readonly position: LonLat;
  readonly heading?: number;
  readonly towards?: string;
  /** Position in the scenario of the last report: clients interpolate between reports. */
  readonly atMs: number;
}

export interface Counters {
  readonly launched: Readonly<Record<LaunchedKind, number>>;
  readonly intercepted: Readonly<Record<ThreatKind, number>>;
  /** Hits in Ukraine and Poland (places abroad, such as Ryazan, are shown but not counted). */
  readonly impacts: number;
  /** Places in Ukraine and Poland damaged by the debris of shot-down threats. */
  readonly debris: number;
  readonly regionsUnderAlert: number;
  readonly injured: number;
  readonly killed: number;
}

export interface NightState {
  readonly regions: Readonly<Record<string, RegionState>>;
  readonly counters: Counters;
  readonly tracks: Readonly<Record<string, Track>>;
  readonly jetsScrambled: Readonly<Record<Country, boolean>>;
  readonly closedAirports: Readonly<Record<Country, readonly string[]>>;
  /** Missile carriers airborne, by aircraft type. */
  readonly carriersAirborne: Readonly<Record<string, number>>;
}

const zeroBy = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** An alert on at position 0, as a loaded scenario states it in `initial.alerts`. */
export interface AlertAtStart {
  readonly region: string;
  readonly sinceMs: number;
  readonly threats: readonly ThreatKind[];
}

/**
 * The night at position 0: every region calm, nothing launched, except the alerts the scenario
 * says were already on (a frontline oblast's alert can be months old when a night begins).
 */
export function initialState(opening: readonly AlertAtStart[] = []): NightState {
  const alerts = new Map(opening.map((a) => [a.region, { sinceMs: a.sinceMs, threats: a.threats }]));
  return {
    regions: Object.fromEntries(
      REGIONS.map((r) => [
        r.code,
        { code: r.code, country: r.country, alert: alerts.get(r.code) ?? null, siren: false, sirenErroneous: false, impacts: 0, outage: false },
      ]),
    ),
    counters: {
      launched: zeroBy(LAUNCHED_KINDS),
      intercepted: zeroBy(THREAT_KINDS),
      impacts: 0,
      debris: 0,
      regionsUnderAlert: REGIONS.filter((r) => alerts.has(r.code)).length,
      injured: 0,
      killed: 0,
    },
    tracks: {},
    jetsScrambled: { UA: false, PL: false },
    closedAirports: { UA: [], PL: [] },
    carriersAirborne: {},
  };
}
