/**
 * The public shape of sessions (DESIGN.md §5): what creating one takes and returns, the clock,
 * the snapshot, the roster. One definition for the server, the page and the SDK.
 */
import { z } from 'zod';
import { controlSchema, speedSchema, type ClockState } from '../domain/control.ts';
import { localizedTextSchema, type ScenarioEvent } from '../domain/events.ts';
import type { Counters, NightState, RegionState, Track } from '../domain/state.ts';

export const SESSION_KINDS = ['watch', 'drill'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/**
 * How the compatible feeds and CAP date the night: `present` (the default) reads the replay's
 * current moment as now, so apps that count minutes under alert or drop expired entries behave as
 * on a live night; `original` keeps the night's own timestamps.
 */
export const FEED_TIMES = ['present', 'original'] as const;
export type FeedTimes = (typeof FEED_TIMES)[number];

export const createSessionSchema = z.strictObject({
  scenarioId: z.string().min(1).max(64),
  speed: speedSchema.default(1),
  positionMs: z.number().int().min(0).default(0),
  autoplay: z.boolean().default(true),
  loop: z.boolean().default(false),
  kind: z.enum(SESSION_KINDS).default('watch'),
  feedTimes: z.enum(FEED_TIMES).optional(),
});
export type CreateSession = z.output<typeof createSessionSchema>;

export interface CreatedSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly scenarioId: string;
  readonly joinCode: string;
  readonly instructorToken: string;
  readonly links: { readonly watch: string; readonly instructor: string; readonly join: string };
}

export { controlSchema };

/** `clock`: an item of the sequence, sent after every control and every 5 s while playing. */
export type ClockMessage = ClockState & { readonly seq: number };

/** An event in a snapshot's `recent` list; `seq` when it was broadcast since the last jump. */
export type RecentEvent = ScenarioEvent & { readonly seq?: number };

export interface Snapshot {
  /** The seq of the last item this snapshot includes. */
  readonly seq: number;
  readonly session: { readonly id: string; readonly kind: SessionKind };
  readonly scenario: {
    readonly id: string;
    readonly title: z.infer<typeof localizedTextSchema>;
    readonly start: string;
    readonly timeZone: string;
    readonly durationMs: number;
  };
  readonly clock: ClockMessage;
  readonly regions: Readonly<Record<string, RegionState>>;
  readonly counters: Counters;
  readonly tracks: Readonly<Record<string, Track>>;
  readonly jetsScrambled: NightState['jetsScrambled'];
  readonly closedAirports: NightState['closedAirports'];
  readonly carriersAirborne: NightState['carriersAirborne'];
  readonly recent: readonly RecentEvent[];
}

export const PARTICIPANT_ROLES = ['viewer', 'trainee', 'instructor'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export interface RosterEntry {
  readonly participantId: string;
  readonly name: string;
  readonly region: string | null;
  readonly connected: boolean;
  /** In the shelter since this scenario position, or null. */
  readonly shelteredAtMs: number | null;
  /** For each alert in the trainee's region: when it began and how long the trainee took. */
  readonly responses: ReadonlyArray<{ readonly alertAtMs: number; readonly responseMs: number | null }>;
}

export interface Roster {
  readonly participants: readonly RosterEntry[];
}

/** An ad-hoc event an instructor injects at the current position; the event itself is checked by the session. */
export const injectSchema = z.strictObject({ event: z.unknown() });
