/**
 * Webhooks of a session: what an instructor sends to register one, what the API answers, the
 * delivery log, and the JSON each delivery carries. The receiver checks
 * `X-Sim-Signature: sha256=<hex>`, the HMAC-SHA256 with its secret of `<X-Sim-Timestamp>.<body>`,
 * and records each `Idempotency-Key` once (a delivery may come again after a retry or a restart).
 */
import { z } from 'zod';
import { timelineEventSchema } from '../domain/events.ts';

export const SIGNATURE_HEADER = 'x-sim-signature';
export const TIMESTAMP_HEADER = 'x-sim-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const ATTEMPT_HEADER = 'x-sim-attempt';

export const registerWebhookSchema = z.strictObject({
  url: z.string().min(1).max(2048),
  /** Shared secret for the signature; absent: the server makes one and answers it once. */
  secret: z.string().min(16).max(256).optional(),
});

export const webhookSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  url: z.string(),
  createdAt: z.string(),
});
/** The answer to a registration: the only time the secret is shown. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string() });

export const deliveryLogSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      state: z.enum(['pending', 'delivered', 'failed']),
      createdAt: z.string(),
      nextAttemptAt: z.string().nullable(),
      attempts: z.array(z.object({ n: z.number().int(), at: z.string(), status: z.number().int().nullable(), latencyMs: z.number().int(), error: z.string().nullable() })),
    }),
  ),
});

export const webhookPayloadSchema = z.object({
  /** Equal to the Idempotency-Key header. */
  id: z.string(),
  type: z.enum(['alert.start', 'alert.end']),
  sessionId: z.string(),
  scenarioId: z.string(),
  event: timelineEventSchema,
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
