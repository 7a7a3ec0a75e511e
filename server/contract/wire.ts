/**
 * The REST responses and socket payloads in zod: snapshot, clock, roster, created session, drill
 * report, health, scenario listing. The types the server, the page and the tests use are derived
 * from these (contract/session.ts), the tests parse real responses with them, and the OpenAPI
 * document (contract/openapi.ts) is generated from them.
 *
 * The night's state (regions, counters, tracks) is defined by the domain's interfaces, which the
 * page shares; the schemas below mirror them and a compile-time check at the end keeps the two
 * identical, so neither can change without the other.
 */
import { z } from 'zod';
import { COUNTRIES } from '../domain/regions/index.ts';
import { LAUNCHED_KINDS, THREAT_KINDS } from '../domain/kinds.ts';
import { localizedTextSchema, scenarioEventSchema, timelineEventSchema } from '../domain/events.ts';
import type { Counters, NightState, RegionState, Track } from '../domain/state.ts';
import { SESSION_KINDS } from './session.ts';

const threatKind = z.enum(THREAT_KINDS);
const country = z.enum(COUNTRIES);
const byKind = <K extends string>(keys: readonly [K, ...K[]]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>).readonly();

export const regionStateSchema = z
  .object({
    code: z.string(),
    country,
    alert: z.object({ sinceMs: z.number().describe('scenario position the alert began at; below 0: before the night\'s start'), threats: z.array(threatKind).readonly() }).readonly().nullable(),
    siren: z.boolean(),
    sirenErroneous: z.boolean(),
    impacts: z.number().int(),
    outage: z.boolean(),
  })
  .readonly();

export const countersSchema = z
  .object({
    launched: byKind(LAUNCHED_KINDS),
    intercepted: byKind(THREAT_KINDS),
    impacts: z.number().int(),
    debris: z.number().int(),
    regionsUnderAlert: z.number().int(),
    injured: z.number().int(),
    killed: z.number().int(),
  })
  .readonly();

export const trackSchema = z
  .object({
    trackId: z.string(),
    threat: threatKind,
    count: z.number().int(),
    position: z.tuple([z.number(), z.number()]).readonly(),
    heading: z.number().exactOptional(),
    towards: z.string().exactOptional(),
    atMs: z.number(),
  })
  .readonly();

export const clockMessageSchema = z
  .object({
    seq: z.number().int(),
    positionMs: z.number(),
    speed: z.number(),
    playing: z.boolean(),
    loop: z.boolean(),
    durationMs: z.number(),
    serverTimeMs: z.number().describe('server wall time (epoch ms) at which positionMs held'),
  })
  .readonly();

const recentEventSchema = z.union([timelineEventSchema, scenarioEventSchema]);

export const snapshotSchema = z
  .object({
    seq: z.number().int(),
    session: z.object({ id: z.string(), kind: z.enum(SESSION_KINDS), resumed: z.boolean().describe('restored after a server restart, paused') }).readonly(),
    scenario: z
      .object({ id: z.string(), title: localizedTextSchema, start: z.string(), timeZone: z.string(), durationMs: z.number() })
      .readonly(),
    clock: clockMessageSchema,
    regions: z.record(z.string(), regionStateSchema).readonly(),
    counters: countersSchema,
    tracks: z.record(z.string(), trackSchema).readonly(),
    jetsScrambled: z.record(country, z.boolean()).readonly(),
    closedAirports: z.record(country, z.array(z.string()).readonly()).readonly(),
    carriersAirborne: z.record(z.string(), z.number()).readonly(),
    recent: z.array(recentEventSchema).readonly(),
  })
  .readonly();

export const TRAINEE_STATES = ['waiting', 'alerted', 'sheltered', 'missed'] as const;

const responseSchema = z
  .object({
    alertAtMs: z.number().describe('scenario position the alert began at'),
    responseMs: z.number().nullable().describe('scenario time from the alert to the answer'),
    responseWallMs: z.number().nullable().describe('real time from the alert to the answer'),
    endedAtMs: z.number().nullable().describe('scenario position the alert ended at; null while it lasts'),
  })
  .readonly();

export const rosterEntrySchema = z
  .object({
    participantId: z.string(),
    name: z.string(),
    region: z.string(),
    connected: z.boolean(),
    state: z.enum(TRAINEE_STATES),
    responses: z.array(responseSchema).readonly(),
  })
  .readonly();
export const rosterCountsSchema = z
  .object({ joined: z.number().int(), connected: z.number().int(), alerted: z.number().int(), sheltered: z.number().int(), missed: z.number().int() })
  .readonly();
export const rosterSchema = z
  .object({
    participants: z.array(rosterEntrySchema).readonly(),
    counts: rosterCountsSchema,
    resumed: z.boolean(),
    partial: z.boolean().describe('true: only the rows that changed since the last roster message; the counts are over everyone'),
  })
  .readonly();

/** Socket `self`: to one trainee, where it stands (sent on connect and at every change). */
export const traineeStatusSchema = z
  .object({
    participantId: z.string(),
    name: z.string(),
    region: z.string(),
    state: z.enum(TRAINEE_STATES),
    alert: responseSchema.nullable().describe('the alert now open for this trainee, or the last one'),
  })
  .readonly();

/** Socket `message`: a line the instructor posts to everyone, or to one region's trainees. */
export const drillMessageSchema = z.object({ text: z.string(), region: z.string().nullable(), atMs: z.number() }).readonly();

export const createdSessionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(SESSION_KINDS),
    scenarioId: z.string(),
    joinCode: z.string(),
    instructorToken: z.string(),
    links: z.object({ watch: z.string(), instructor: z.string(), join: z.string() }).readonly(),
    regions: z.array(z.string()).readonly().describe('regions trainees may pick (drills)'),
  })
  .readonly();

export const healthSchema = z.object({
  ok: z.literal(true),
  version: z.string(),
  uptimeS: z.number().int(),
  /** Sessions this process runs. */
  sessions: z.number().int(),
  /** With several nodes (`REDIS_URL`): which node answered. */
  node: z.string().optional(),
});
export type Health = z.infer<typeof healthSchema>;

export const scenarioListingSchema = z
  .object({
    id: z.string(),
    title: localizedTextSchema,
    description: localizedTextSchema,
    start: z.string(),
    timeZone: z.string(),
    durationMs: z.number(),
    eventCount: z.number().int(),
    sourceCount: z.number().int(),
  })
  .readonly();

export const drillReportRowSchema = z
  .object({
    participantId: z.string(),
    name: z.string(),
    region: z.string(),
    regionName: z.string(),
    alertAtMs: z.number(),
    alertTime: z.string(),
    responseMs: z.number().nullable().describe('scenario time from the alert to the answer'),
    responseWallMs: z.number().nullable().describe('real time from the alert to the answer: the headline'),
    missed: z.boolean().describe('the alert ended, or the report was made, without an answer'),
  })
  .readonly();

export const drillReportSchema = z
  .object({
    session: z.object({ id: z.string(), kind: z.string(), scenarioId: z.string() }).readonly(),
    generatedAt: z.string(),
    trainees: z.number().int(),
    alerts: z.number().int(),
    answered: z.number().int(),
    missed: z.number().int(),
    medianResponseMs: z.number().nullable(),
    medianResponseWallMs: z.number().nullable(),
    slowestResponseWallMs: z.number().nullable(),
    histogram: z.array(z.object({ fromS: z.number(), toS: z.number().nullable(), count: z.number().int() }).readonly()).readonly(),
    rows: z.array(drillReportRowSchema).readonly(),
  })
  .readonly();

/** Socket `welcome` (to a trainee that has just joined) and `bye` (the server is shutting down). */
export const welcomeSchema = z.object({ participantId: z.string(), participantToken: z.string() });
export const byeSchema = z.object({ reason: z.string() });

export const joinAnswerSchema = z.object({
  sessionId: z.string(),
  scenarioId: z.string(),
  title: localizedTextSchema,
  regions: z.array(z.object({ code: z.string(), name: localizedTextSchema })).describe('regions a trainee may pick'),
});
export const createdScenarioSchema = z.object({ id: z.string() });

// The schemas and the domain's interfaces describe the same values: checked at compile time.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => _;
same<Same<z.infer<typeof regionStateSchema>, RegionState>>(true);
same<Same<z.infer<typeof countersSchema>, Counters>>(true);
same<Same<z.infer<typeof trackSchema>, Track>>(true);
same<Same<z.infer<typeof snapshotSchema>['jetsScrambled'], NightState['jetsScrambled']>>(true);
