/**
 * The public shape of sessions (DESIGN.md §5): what creating one takes and returns, the clock,
 * the snapshot, the roster. The response types derive from the zod schemas of contract/wire.ts.
 */
import { z } from 'zod';
import { controlSchema, speedSchema } from '../domain/control.ts';
import { regionCodeSchema, type ScenarioEvent } from '../domain/events.ts';
// Types only: the schemas import this module's constants, so no value may come back this way.
import type { clockMessageSchema, createdSessionSchema, drillMessageSchema, rosterEntrySchema, rosterSchema, snapshotSchema, traineeStatusSchema } from './wire.ts';

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
  /** Drills: the regions trainees may pick; by default every Ukrainian region the scenario alerts. */
  regions: z.array(regionCodeSchema).min(1).max(50).optional(),
});
export type CreateSession = z.output<typeof createSessionSchema>;

/**
 * What is needed to build a session again, on this node or another (kept in Redis by the nodes
 * of a cluster): the request as the registry completed it, with its id, secrets and regions.
 */
export const sessionSpecSchema = createSessionSchema.omit({ regions: true }).extend({
  id: z.string().min(1).max(64),
  joinCode: z.string().min(1).max(32),
  instructorToken: z.string().min(1).max(256),
  regions: z.array(z.string()).max(50).readonly(),
  creator: z.string().max(200).optional(),
});
export type SessionSpec = z.output<typeof sessionSpecSchema>;

/** 201 of `POST /api/sessions`. */
export type CreatedSession = z.infer<typeof createdSessionSchema>;

export { controlSchema };

/** `clock`: an item of the sequence, sent after every control and every 5 s while playing. */
export type ClockMessage = z.infer<typeof clockMessageSchema>;

/** An event in a snapshot's `recent` list; `seq` when it was broadcast since the last jump. */
export type RecentEvent = ScenarioEvent & { readonly seq?: number };

/** `snapshot`: the whole state at the current position; `seq` is the last item it includes. */
export type Snapshot = z.infer<typeof snapshotSchema>;

export const PARTICIPANT_ROLES = ['viewer', 'trainee', 'instructor'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** A trainee as the instructor sees them: region, shelter, and per alert the time they took. */
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

export type Roster = z.infer<typeof rosterSchema>;
export type TraineeStatus = z.infer<typeof traineeStatusSchema>;
export type DrillMessage = z.infer<typeof drillMessageSchema>;

/**
 * A trainee's name: text of 1 to 40 characters once trimmed, shown on the instructor's roster
 * and in the report. No control or direction-override characters, no markup brackets.
 */
export const traineeNameSchema = z
  .string()
  .trim()
  .min(1, 'a name has at least one character')
  .refine((name) => [...name].length <= 40, 'a name has at most 40 characters')
  .refine((name) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069<>]/u.test(name), 'a name is plain text: no control characters and no < or >');

/** `post`: a message from the instructor to every trainee, or to one region's. */
export const postSchema = z.strictObject({
  text: z.string().trim().min(1).max(280).refine((t) => !/[\p{Cc}]/u.test(t.replace(/\n/g, '')), 'a message is plain text'),
  region: regionCodeSchema.optional(),
});

/** An ad-hoc event an instructor injects at the current position; the event itself is checked by the session. */
export const injectSchema = z.strictObject({ event: z.unknown() });
