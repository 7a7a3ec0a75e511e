/**
 * A scenario: one night, as a file states it (`scenarioFileSchema`, also the source of
 * `scenarios/schema.json`) and as the simulator runs it (`Scenario`: events timed, sorted and
 * described). The loader in `server/scenario/` turns the one into the other.
 */
import { z } from 'zod';
import { inputEventSchema, localizedTextSchema, scenarioEventSchema, SOURCE_ID_PATTERN } from './events.ts';
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
});
export type Source = z.infer<typeof sourceSchema>;

const startSchema = z
  .string()
  .refine((s) => parseIsoWithOffset(s) !== undefined, 'expected an ISO-8601 time with offset, such as "2025-12-05T18:00:00+02:00"');

const timeZoneSchema = z.string().refine(isValidTimeZone, { error: (i) => `unknown IANA time zone ${JSON.stringify(i.input)}` });

const durationSchema = z
  .string()
  .refine((s) => parseOffset(s) !== undefined, 'expected a length such as "10:00:00" (hours:minutes[:seconds])');

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
  events: z.array(scenarioEventSchema),
});
export type Scenario = z.output<typeof scenarioSchema>;
