/**
 * A scenario: one night, as a file states it (`scenarioFileSchema`, also the source of
 * `scenarios/schema.json`) and as the simulator runs it (`Scenario`: events timed, sorted and
 * described). The loader in `server/scenario/` turns the one into the other.
 */
import { z } from 'zod';
import {
  EVENT_TYPES,
  inputEventSchema,
  localizedTextSchema,
  readableTextSchema,
  regionCodeSchema,
  scenarioEventSchema,
  SOURCE_ID_PATTERN,
  threatKindSchema,
} from './events.ts';
import { isValidTimeZone, parseIsoWithOffset, parseOffset } from './time.ts';
import { alertingSchema, carrierSchema, polandSchema, waveSchema } from './waves.ts';

export const SCENARIO_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const sourceSchema = z.strictObject({
  id: z.string().regex(SOURCE_ID_PATTERN, 'expected letters, digits and . _ - (at most 64)'),
  title: z.string().min(1),
  publisher: z.string().min(1),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?$/, 'expected a date such as "2025-12-06", "2025-12" or "2025-12-06 11:28"'),
  note: z.string().min(1).optional(),
  backs: z
    .array(z.enum(EVENT_TYPES))
    .optional()
    .describe('the event types this source itself reports (none: background only); an event of another type may list it only in `basis`, never as its `source`'),
});
export type Source = z.infer<typeof sourceSchema>;

const startSchema = z
  .string()
  .refine((s) => parseIsoWithOffset(s) !== undefined, 'expected an ISO-8601 time with offset, such as "2025-12-05T18:00:00+02:00"');

const timeZoneSchema = z.string().refine(isValidTimeZone, { error: (i) => `unknown IANA time zone ${JSON.stringify(i.input)}` });

const durationSchema = z
  .string()
  .refine((s) => parseOffset(s) !== undefined, 'expected a length such as "10:00:00" (hours:minutes[:seconds])');

const sourceRef = z.string().regex(SOURCE_ID_PATTERN, 'expected the id of an entry in `sources`');
const momentSchema = z
  .string()
  .refine((s) => parseIsoWithOffset(s) !== undefined, 'expected an ISO-8601 time with offset, such as "2025-12-03T18:22:31+02:00"');

/** An alert already on when the replay begins: the night's situation at position 0. */
export const initialAlertSchema = z.strictObject({
  region: regionCodeSchema,
  since: momentSchema.describe('when the alert began, at or before the scenario\'s start (it may be years before)'),
  threats: z.array(threatKindSchema).min(1),
  source: sourceRef.optional().describe('the entry in `sources` that reports the alert'),
  reconstructed: z.boolean().optional(),
  note: readableTextSchema.optional(),
});

/**
 * An official record of the alert map at one moment (such as the alert channel's state kept by
 * a dataset): each listed region under one alert from `since` through `at`. With `complete`,
 * every other region the alert system covers was calm at `at`. The wave compiler makes the
 * compiled alerts agree with it, or says why it cannot.
 */
export const alertRecordSchema = z.strictObject({
  at: momentSchema.describe('the moment the record shows'),
  source: sourceRef,
  complete: z.boolean().default(false).describe('true: the regions not listed were not under alert at `at`'),
  alerts: z
    .array(
      z.strictObject({
        region: regionCodeSchema,
        since: momentSchema.describe('the earliest start the record gives for an area of the region'),
        threats: z.array(threatKindSchema).min(1).optional().describe('when no modelled threat explains the alert'),
      }),
    )
    .default([]),
  note: readableTextSchema.optional(),
});
export type AlertRecord = z.output<typeof alertRecordSchema>;

/** The top level of a scenario file. `events` items are checked one by one by the loader. */
export const scenarioHeaderSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(SCENARIO_ID_PATTERN, 'expected lower-case letters, digits and "-" (at most 64), such as "2025-12-06-barrage"'),
  title: localizedTextSchema,
  description: localizedTextSchema,
  start: startSchema.describe('the real-world moment that position 0 stands for'),
  timeZone: timeZoneSchema.describe('IANA zone in which people read the times, such as "Europe/Kyiv"'),
  duration: durationSchema.optional().describe('length of the replay; by default it ends at the last event'),
  sources: z.array(z.unknown()).default([]),
  alerting: alertingSchema.default(alertingSchema.parse({})).describe('how compiled alerts are timed'),
  poland: polandSchema.default(polandSchema.parse({})).describe('Polish practice for compiled scrambles'),
  initial: z
    .strictObject({ alerts: z.array(initialAlertSchema).default([]) })
    .default({ alerts: [] })
    .describe('the situation when the replay begins: alerts already on at position 0'),
  alertRecords: z.array(alertRecordSchema).default([]).describe('official records of the alert map that compiled alerts must agree with'),
  waves: z.array(z.unknown()).default([]),
  carriers: z.array(z.unknown()).default([]),
  events: z.array(z.unknown()).default([]),
});

/** The whole file, for editors and documentation: the same rules the loader applies. */
export const scenarioFileSchema = scenarioHeaderSchema.extend({
  sources: z.array(sourceSchema).default([]),
  waves: z.array(waveSchema).default([]).describe('groups launched and flown along routes, compiled into events'),
  carriers: z.array(carrierSchema).default([]).describe('missile carriers airborne, compiled into alerts'),
  events: z.array(inputEventSchema).default([]),
});

/** An alert on at position 0 in a loaded scenario: `sinceMs` is negative when it began before the start. */
export const openingAlertSchema = z.object({
  region: z.string(),
  sinceMs: z.number().int(),
  since: z.string().describe('ISO-8601, in the scenario time zone'),
  threats: z.array(threatKindSchema),
  source: z.string().optional(),
  reconstructed: z.boolean().optional(),
  note: localizedTextSchema.optional(),
});
export type OpeningAlert = z.output<typeof openingAlertSchema>;

/** A loaded scenario: what the engine replays and `GET /api/scenarios/:id` returns. */
export const scenarioSchema = z.object({
  id: z.string(),
  title: localizedTextSchema,
  description: localizedTextSchema,
  start: z.string(),
  startMs: z.number(),
  timeZone: z.string(),
  durationMs: z.number().int().min(0),
  sources: z.array(sourceSchema),
  initial: z.object({ alerts: z.array(openingAlertSchema) }),
  events: z.array(scenarioEventSchema),
});
export type Scenario = z.output<typeof scenarioSchema>;
