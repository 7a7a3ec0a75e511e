/**
 * Faults on demand: how a session, or one connecting client, makes the feed misbehave the way
 * real feeds do. Every fault fires at a rate (a probability per item, drawn from the seed) or
 * inside windows of the timeline (scenario positions), or both. The draws are keyed by the
 * item (an event's id, a clock's seq, an HTTP request's number), not by the order of arrival,
 * so two runs with the same seed fault the same items however their frames were batched.
 *
 * Zod-free types are exported too: the page and the SDK show and send profiles.
 */
import { z } from 'zod';

/** The longest a fault may hold a message: beyond it a client would rather resync. */
export const MAX_FAULT_DELAY_MS = 60_000;

const windowSchema = z
  .strictObject({ fromMs: z.number().int().min(0), toMs: z.number().int().min(0) })
  .refine((w) => w.toMs >= w.fromMs, 'toMs must not be before fromMs')
  .describe('scenario positions (ms from the start of the night), both ends included');

const trigger = {
  rate: z.number().min(0).max(1).optional().describe('probability per item (0..1), drawn from the seed'),
  at: z.array(windowSchema).max(50).optional().describe('timeline windows in which the fault always fires'),
};
const hasTrigger = (t: object) => {
  const { rate, at } = t as { rate?: number; at?: readonly unknown[] };
  return rate !== undefined || (at?.length ?? 0) > 0;
};
const fault = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject({ ...trigger, ...shape }).refine(hasTrigger, 'give a rate, windows (at), or both');

const delayMs = z.number().int().min(0).max(MAX_FAULT_DELAY_MS);

export const faultProfileSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  latency: fault({ ms: delayMs, jitterMs: delayMs.default(0) }).optional().describe('each message delayed by ms plus up to jitterMs; order kept'),
  drop: fault({}).optional().describe('items never sent'),
  duplicate: fault({}).optional().describe('items sent a second time, in a later message'),
  reorder: fault({ windowMs: z.number().int().min(1).max(MAX_FAULT_DELAY_MS).default(200) }).optional().describe('items held back for windowMs, so later ones overtake them'),
  disconnect: fault({}).optional().describe('the connection is closed after the item (once per window); the client reconnects'),
  stall: fault({ forMs: z.number().int().min(1).max(MAX_FAULT_DELAY_MS) }).optional().describe('the feed stops for forMs and then sends what it held (stale data); compatible endpoints keep answering with what they said before'),
  http: fault({
    status: z.array(z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)])).min(1).max(5).default([503]),
    retryAfterS: z.number().int().min(0).max(3600).default(1),
  })
    .optional()
    .describe('compatible endpoints answer with one of these statuses instead (per request)'),
});
export type FaultProfileInput = z.input<typeof faultProfileSchema>;
export type FaultProfile = z.output<typeof faultProfileSchema>;

export const FAULT_KINDS = ['latency', 'drop', 'duplicate', 'reorder', 'disconnect', 'stall', 'http'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRecordSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  /** The item it struck: an event id, `clock:<seq>`, or `request:<n>`. */
  key: z.string(),
  seq: z.number().int().nullable(),
});
export type FaultRecord = z.infer<typeof faultRecordSchema>;

/** What a session (or a client) reports: the profile it applies and what it has done so far. */
export const faultReportSchema = z.object({
  scope: z.enum(['session', 'client']),
  profile: faultProfileSchema.nullable(),
  counts: z.record(z.enum(FAULT_KINDS), z.number().int()),
  /** The latest records, oldest first (at most `FAULT_LOG_SIZE`). */
  recent: z.array(faultRecordSchema),
});
export type FaultReport = z.infer<typeof faultReportSchema>;
export const FAULT_LOG_SIZE = 2000;
