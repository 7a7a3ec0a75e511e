/**
 * The event vocabulary of a night (DESIGN.md §3), defined once in zod and reused three ways:
 * to read scenario files (the input envelope, with `at`), to type the code, and to describe the
 * wire (`TimelineEvent`, with `seq`, `atMs` and `time`). The per-type payloads are shared by both
 * envelopes so a field can never mean one thing in a file and another on the wire.
 */
import { z } from 'zod';
import { ACCEPTED_REGION_CODES, COUNTRIES, canonicalRegionCode } from './regions/index.ts';
import { AT_FORMS_HINT, isAtText } from './time.ts';
import { EVENT_TYPES, IMPACT_TARGETS, LAUNCHED_KINDS, OUTAGE_SCALES, THREAT_KINDS, type EventType } from './kinds.ts';

export { EVENT_TYPES, IMPACT_TARGETS, LAUNCHED_KINDS, OUTAGE_SCALES, THREAT_KINDS } from './kinds.ts';
export type { EventType, LaunchedKind, ThreatKind } from './kinds.ts';
export const threatKindSchema = z.enum(THREAT_KINDS);

export const launchedKindSchema = z.enum(LAUNCHED_KINDS);

export const countrySchema = z.enum(COUNTRIES);

/** Input accepts Poland's letter aliases; the output is always the current code. */
export const regionCodeSchema = z
  .enum(ACCEPTED_REGION_CODES, {
    error: (issue) =>
      `unknown region ${JSON.stringify(issue.input)}: expected an ISO 3166-2 code such as "UA-46" (Lviv) or "PL-06" (Lubelskie)`,
  })
  .transform((code) => canonicalRegionCode(code) ?? code);

export const lonLatSchema = z.tuple([
  z.number().min(-180).max(180).describe('longitude'),
  z.number().min(-90).max(90).describe('latitude'),
]);

export const localizedTextSchema = z.strictObject({
  en: z.string().min(1),
  uk: z.string().min(1).optional(),
  pl: z.string().min(1).optional(),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/**
 * A name or a note people read: in a file either plain English text or `{ en, uk?, pl? }`;
 * loaded, always the object, so that the page, the CLI and the feeds have one shape to show.
 */
export const readableTextSchema = z.union([
  z.string().min(1).transform((en): LocalizedText => ({ en })),
  localizedTextSchema,
]);

export const placeSchema = z.strictObject({
  name: readableTextSchema,
  position: lonLatSchema,
});
export type Place = z.output<typeof placeSchema>;

const count = z.number().int().min(1);
const headcount = z.number().int().min(0);
const places = z.array(z.string().min(1)).min(1);
const icaoCode = z.string().regex(/^[A-Z]{4}$/, 'expected a four-letter ICAO airport code such as "EPLB"');

// One strict object per type: a misspelt field is an error, not a silently ignored key.
const alertStart = z.strictObject({
  type: z.literal('alert.start'),
  region: regionCodeSchema,
  threats: z.array(threatKindSchema).min(1),
});
const alertEnd = z.strictObject({ type: z.literal('alert.end'), region: regionCodeSchema });
const sirenStart = z.strictObject({
  type: z.literal('siren.start'),
  region: regionCodeSchema,
  places: places.optional(),
  erroneous: z.boolean().optional().describe('sounded by mistake, as the authorities later said'),
});
const sirenEnd = z.strictObject({
  type: z.literal('siren.end'),
  region: regionCodeSchema,
  places: places.optional(),
  erroneous: z.boolean().optional(),
});
const launch = z.strictObject({
  type: z.literal('launch'),
  threat: launchedKindSchema,
  model: z.string().min(1).optional(),
  count,
  from: placeSchema,
});
const carrierTakeoff = z.strictObject({
  type: z.literal('carrier.takeoff'),
  aircraft: z.string().min(1),
  count: count.optional(),
  from: placeSchema.optional(),
});
const carrierLanded = z.strictObject({
  type: z.literal('carrier.landed'),
  aircraft: z.string().min(1),
  count: count.optional(),
  from: placeSchema.optional(),
});
const threatMove = z.strictObject({
  type: z.literal('threat.move'),
  trackId: z.string().min(1),
  threat: threatKindSchema,
  count: headcount.describe('0 ends the track'),
  position: lonLatSchema,
  heading: z.number().min(0).max(360).optional(),
  towards: regionCodeSchema.optional(),
});
const intercept = z.strictObject({
  type: z.literal('intercept'),
  threat: threatKindSchema,
  count,
  region: regionCodeSchema.optional(),
  trackId: z.string().min(1).optional(),
});
const impact = z.strictObject({
  type: z.literal('impact'),
  region: regionCodeSchema.optional(),
  position: lonLatSchema.optional(),
  place: readableTextSchema,
  target: z.enum(IMPACT_TARGETS),
  threat: threatKindSchema.optional(),
  debris: z.boolean().optional().describe('damage from the falling debris of a shot-down threat, not a hit'),
  trackId: z.string().min(1).optional(),
  injured: headcount.optional(),
  killed: headcount.optional(),
});
const airspaceClose = z.strictObject({ type: z.literal('airspace.close'), country: countrySchema, airports: z.array(icaoCode).min(1) });
const airspaceOpen = z.strictObject({ type: z.literal('airspace.open'), country: countrySchema, airports: z.array(icaoCode).min(1) });
const jetsScrambled = z.strictObject({ type: z.literal('jets.scrambled'), country: countrySchema });
const jetsStoodDown = z.strictObject({ type: z.literal('jets.stood_down'), country: countrySchema });
const outage = z.strictObject({ type: z.literal('outage'), region: regionCodeSchema, scale: z.enum(OUTAGE_SCALES).optional() });
const outageEnd = z.strictObject({ type: z.literal('outage.end'), region: regionCodeSchema });
const statement = z.strictObject({ type: z.literal('statement'), org: z.string().min(1) });
const claim = z.strictObject({ type: z.literal('claim'), party: z.string().min(1), count: count.optional() });



const eventTypeError = (issue: { input?: unknown }) => {
  const input = issue.input as { type?: unknown } | undefined;
  const type = input && typeof input === 'object' ? input.type : undefined;
  return type === undefined
    ? `an event needs a "type": one of ${EVENT_TYPES.join(', ')}`
    : `unknown event type ${JSON.stringify(type)}: expected one of ${EVENT_TYPES.join(', ')}`;
};

/** Builds the union of every event type under one envelope of common fields. */
function eventUnion<Envelope extends z.core.$ZodLooseShape>(envelope: Envelope) {
  return z.discriminatedUnion(
    'type',
    [
      alertStart.extend(envelope),
      alertEnd.extend(envelope),
      sirenStart.extend(envelope),
      sirenEnd.extend(envelope),
      launch.extend(envelope),
      carrierTakeoff.extend(envelope),
      carrierLanded.extend(envelope),
      threatMove.extend(envelope),
      intercept.extend(envelope),
      impact.extend(envelope),
      airspaceClose.extend(envelope),
      airspaceOpen.extend(envelope),
      jetsScrambled.extend(envelope),
      jetsStoodDown.extend(envelope),
      outage.extend(envelope),
      outageEnd.extend(envelope),
      statement.extend(envelope),
      claim.extend(envelope),
    ],
    { error: eventTypeError },
  );
}

export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
const eventId = z.string().regex(EVENT_ID_PATTERN, 'expected letters, digits and . _ : - (at most 80)');
export const SOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const sourceRef = z.string().regex(SOURCE_ID_PATTERN, 'expected the id of an entry in `sources`');

/** Fields every event may carry, in a file and on the wire alike. */
const provenance = {
  source: sourceRef.optional().describe('id of the entry in `sources` that reports this event'),
  reconstructed: z.boolean().optional().describe('timing or detail modelled rather than reported'),
  note: readableTextSchema.optional().describe('how a reconstructed event was derived, or what else its source says'),
  basis: z
    .array(sourceRef)
    .min(1)
    .optional()
    .describe('entries in `sources` that a modelled event was derived from: they do not report it themselves'),
};

/** An event as written in a scenario file. */
export const inputEventSchema = eventUnion({
  id: eventId.optional(),
  at: z.string().refine(isAtText, { error: (issue) => `${JSON.stringify(issue.input)} is not a time: ${AT_FORMS_HINT}` }),
  text: localizedTextSchema.optional(),
  ...provenance,
});
export type InputEvent = z.output<typeof inputEventSchema>;

const normalizedEnvelope = {
  id: eventId,
  atMs: z.number().int().min(0).describe('position in the scenario, ms from its start'),
  time: z.string().describe('real-world time, ISO-8601 with the scenario time zone offset'),
  text: localizedTextSchema,
  ...provenance,
};

/** An event an instructor adds during a drill: placed at the current position by the server. */
export const injectedEventSchema = eventUnion({
  text: localizedTextSchema.optional(),
  note: readableTextSchema.optional(),
});

/** An event of a loaded scenario: sorted, timed, with its text. */
export const scenarioEventSchema = eventUnion(normalizedEnvelope);
export type ScenarioEvent = z.output<typeof scenarioEventSchema>;

/** An event as a session broadcasts it: numbered by `seq`, the same for every participant. */
export const timelineEventSchema = eventUnion({ ...normalizedEnvelope, seq: z.number().int().min(1) });
export type TimelineEvent = z.output<typeof timelineEventSchema>;

export type EventOf<T extends EventType> = Extract<ScenarioEvent, { type: T }>;

export { eventRegion } from './event-fields.ts';
