/**
 * High-level waves, carriers and alerting rules in a scenario file: a few lines that the wave
 * compiler (`server/scenario/compile-waves.ts`) expands into region-by-region events, so that a
 * night or a drill is written as what flew where, not as hundreds of hand-typed alert times.
 */
import { z } from 'zod';
import {
  IMPACT_TARGETS,
  SOURCE_ID_PATTERN,
  launchedKindSchema,
  localizedTextSchema,
  lonLatSchema,
  placeSchema,
  readableTextSchema,
  regionCodeSchema,
  threatKindSchema,
} from './events.ts';
import { AT_FORMS_HINT, isAtText } from './time.ts';

const atText = z.string().refine(isAtText, { error: (issue) => `${JSON.stringify(issue.input)} is not a time: ${AT_FORMS_HINT}` });
const sourceRef = z.string().regex(SOURCE_ID_PATTERN, 'expected the id of an entry in `sources`');
const minutes = z.number().min(0).max(24 * 60);

/** Provenance of one reported item (an intercept, a hit): its source reports that very thing. */
const provenance = {
  source: sourceRef.optional().describe('the entry in `sources` that reports what this item says (its count, its target)'),
  note: readableTextSchema.optional().describe('how the modelled parts were derived'),
};

/**
 * Provenance of a model (a wave, a carrier, Polish practice): what it is based on. Nothing it
 * compiles names that source as its `source`, since the source does not report the compiled
 * events themselves; they list it in `basis` instead.
 */
const modelProvenance = {
  source: sourceRef.optional().describe('the entry in `sources` the model is based on: listed in the `basis` of what it compiles'),
  note: readableTextSchema.optional().describe('what the model is based on and what is modelled'),
};

export const waypointSchema = z.union([lonLatSchema, regionCodeSchema]).describe('[lon, lat], or a region code meaning its label point');

export const waveInterceptSchema = z.strictObject({
  region: regionCodeSchema.describe('where the wave is shot down: the route must cross it'),
  count: z.number().int().min(1),
  at: atText.optional().describe('by default, halfway through the wave\'s passage over the region'),
  ...provenance,
});

export const waveImpactSchema = z.strictObject({
  region: regionCodeSchema.describe('the route must cross it'),
  place: readableTextSchema,
  target: z.enum(IMPACT_TARGETS),
  position: lonLatSchema
    .optional()
    .describe('the reported place: the hit is timed when the wave passes nearest to it, which must be within 5 km; by default, where the wave is'),
  debris: z.boolean().optional().describe('damage from falling debris, not a hit'),
  at: atText
    .optional()
    .describe('a reported time: the wave must then be within 5 km of `position`; by default, see `position`, or halfway through the passage (the end of the route in its last region)'),
  injured: z.number().int().min(0).optional(),
  killed: z.number().int().min(0).optional(),
  text: localizedTextSchema.optional(),
  reconstructed: z.boolean().optional().describe('false when the time given in `at` is reported, not modelled'),
  ...provenance,
});

export const waveSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected lower-case letters, digits and "-" (at most 40)'),
  threat: launchedKindSchema,
  model: z.string().min(1).optional(),
  count: z.number().int().min(1),
  launch: z.strictObject({
    at: atText,
    from: placeSchema,
    source: sourceRef.optional().describe('an entry in `sources` that reports this launch itself (count and area)'),
  }),
  route: z.array(waypointSchema).min(1).describe('waypoints after the launch site, in order'),
  speedKmh: z.number().min(30).max(20_000),
  intercepts: z.array(waveInterceptSchema).default([]),
  impacts: z.array(waveImpactSchema).default([]),
  launchEvent: z.boolean().default(true).describe('false when the launch is written as an explicit event instead'),
  ...modelProvenance,
});
export type Wave = z.output<typeof waveSchema>;

export const carrierSchema = z.strictObject({
  aircraft: z.string().min(1),
  count: z.number().int().min(1).optional(),
  from: placeSchema.optional(),
  takeoffAt: atText,
  landedAt: atText,
  alerts: z
    .union([z.literal('nationwide'), z.array(regionCodeSchema).min(1)])
    .default('nationwide')
    .describe('"nationwide": every Ukrainian region the official alert system covers (all but Crimea and Sevastopol)'),
  threat: threatKindSchema.default('aircraft'),
  source: sourceRef.optional().describe('the entry in `sources` that reports the take-off (its time may still be modelled)'),
  note: readableTextSchema.optional().describe('what is reported and what is modelled'),
});
export type Carrier = z.output<typeof carrierSchema>;

/** Minutes of warning before a threat reaches a region, by kind: the distance it covers then. */
export const DEFAULT_LEAD_MINUTES = {
  drone: 30, // ~85 km at a Shahed's 150–180 km/h
  cruise_missile: 15, // ~190 km at ~750 km/h
  ballistic_missile: 3, // flight times are minutes: warning is short, when there is any
  aeroballistic_missile: 3,
  guided_bomb: 5,
  aircraft: 0,
} as const;

export const alertingSchema = z.strictObject({
  leadMinutes: z
    .strictObject(Object.fromEntries(Object.keys(DEFAULT_LEAD_MINUTES).map((k) => [k, minutes.optional()])) as Record<keyof typeof DEFAULT_LEAD_MINUTES, z.ZodOptional<typeof minutes>>)
    .default({}),
  clearMinutes: minutes.default(15).describe('margin after the last threat has left or ended before the all-clear'),
  mergeGapMinutes: minutes.default(5).describe('alerts in one region closer than this are one alert'),
  movePeriodMinutes: z.number().min(1).max(120).default(5).describe('a threat.move per track this often'),
  clearSpreadMinutes: minutes
    .default(0)
    .describe('modelled all-clears are spread over this many minutes, region by region, as oblast administrations lift them one by one'),
});
export type Alerting = z.output<typeof alertingSchema>;

export const polandSchema = z.strictObject({
  scramble: z.boolean().default(true).describe('Operational Command scrambles jets as threats near the border'),
  leadMinutes: minutes.default(30).describe('before a threat enters a Ukrainian region on the Polish border'),
  standDownMinutes: minutes.default(60).describe('after the last threat has left those regions'),
  ...modelProvenance,
});
export type PolandPractice = z.output<typeof polandSchema>;
