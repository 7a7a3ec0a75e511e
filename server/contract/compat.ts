/**
 * The bodies of the compatible feeds, in zod: the shapes of the three real alert services that
 * apps already parse (field names, types and date formats as the services send them). The
 * server's builders are typed by these schemas, the tests parse real responses with them, and
 * the OpenAPI document is generated from them.
 *
 * Sources of the shapes: alerts.in.ua's API documentation (https://devs.alerts.in.ua) and its
 * official clients; ukrainealarm's generated clients (https://github.com/UkraineAlarm);
 * alerts.com.ua's server source (https://github.com/and3rson/raid).
 */
import { z } from 'zod';

// alerts.in.ua -----------------------------------------------------------------------------------

/** `2025-12-05T17:36:33.000Z`: ISO 8601 in UTC, always with milliseconds. */
const isoMillisZ = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** `2025/12/05 17:36:33 +0000` */
const slashUtc = z.string().regex(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \+0000$/);

export const aiuAlertSchema = z.object({
  id: z.number().int(),
  location_title: z.string(),
  location_type: z.enum(['oblast', 'raion', 'city', 'hromada', 'unknown']),
  started_at: isoMillisZ,
  finished_at: isoMillisZ.nullable(),
  updated_at: isoMillisZ,
  alert_type: z.enum(['air_raid', 'artillery_shelling', 'urban_fights', 'chemical', 'nuclear']),
  location_uid: z.string().regex(/^\d+$/),
  location_oblast: z.string(),
  location_oblast_uid: z.number().int(),
  location_raion: z.string().nullable(),
  notes: z.string().nullable(),
  calculated: z.boolean().nullable(),
});
export type AiuAlert = z.infer<typeof aiuAlertSchema>;

export const aiuAlertsSchema = z.object({
  alerts: z.array(aiuAlertSchema),
  meta: z.object({ last_updated_at: slashUtc, type: z.string() }),
  disclaimer: z.string(),
});
export type AiuAlerts = z.infer<typeof aiuAlertsSchema>;

/** The IoT status of every oblast-level region, one of A (alert), P (partly), N (none) each, in the service's order. */
export const aiuIotStatusSchema = z.string().regex(/^[APN]{27}$/);
export const aiuIotRegionSchema = z.enum(['A', 'P', 'N']);
export const aiuErrorSchema = z.object({ message: z.string() });

// ukrainealarm -----------------------------------------------------------------------------------

const isoSecondsZ = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
const regionType = z.enum(['State', 'District', 'Community', 'Null']);
const alertType = z.enum(['UNKNOWN', 'AIR', 'ARTILLERY', 'URBAN_FIGHTS', 'CHEMICAL', 'NUCLEAR', 'INFO']);

export const uaAlertSchema = z.object({ regionId: z.string(), regionType, type: alertType, lastUpdate: isoSecondsZ });
export const uaAlertRegionSchema = z.object({
  regionId: z.string().regex(/^\d+$/),
  regionType,
  regionName: z.string(),
  regionEngName: z.string(),
  lastUpdate: isoSecondsZ,
  activeAlerts: z.array(uaAlertSchema),
});
export type UaAlertRegion = z.infer<typeof uaAlertRegionSchema>;
export const uaAlertRegionsSchema = z.array(uaAlertRegionSchema);

export const uaStatusSchema = z.object({ lastActionIndex: z.number().int() });

export interface UaRegionNode {
  regionId: string;
  regionName: string;
  regionType: z.infer<typeof regionType>;
  regionChildIds: UaRegionNode[];
}
export const uaRegionNodeSchema: z.ZodType<UaRegionNode> = z.object({
  regionId: z.string(),
  regionName: z.string(),
  regionType,
  get regionChildIds() {
    return z.array(uaRegionNodeSchema);
  },
});
export const uaRegionsSchema = z.object({ states: z.array(uaRegionNodeSchema) });

export const uaAlarmSchema = z.object({
  regionId: z.string(),
  startDate: isoSecondsZ,
  endDate: isoSecondsZ,
  duration: z.string().regex(/^\d{2,}:\d\d:\d\d$/),
  alertType,
  regionName: z.string(),
  isContinue: z.boolean(),
});
export const uaRegionHistorySchema = z.array(
  z.object({ regionId: z.string(), regionName: z.string(), alarms: z.array(uaAlarmSchema) }),
);
export type UaRegionHistory = z.infer<typeof uaRegionHistorySchema>;

export const uaWebhookSchema = z.strictObject({ webHookUrl: z.url({ protocol: /^https?$/ }).max(2048) });

// alerts.com.ua ----------------------------------------------------------------------------------

/** RFC 3339 with nanoseconds and the local offset, as Go prints it. */
const rfc3339Nanos = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d$/);

export const acuStateSchema = z.object({
  id: z.number().int().min(1).max(25),
  name: z.string(),
  name_en: z.string(),
  alert: z.boolean(),
  changed: rfc3339Nanos.nullable(),
});
export type AcuState = z.infer<typeof acuStateSchema>;
export const acuStatesSchema = z.object({ states: z.array(acuStateSchema), last_update: rfc3339Nanos });
export const acuShortStatesSchema = z.object({
  states: z.array(z.object({ id: z.number().int(), alert: z.boolean() })),
  last_update: rfc3339Nanos,
});
export const acuOneStateSchema = z.object({ state: acuStateSchema.nullable(), last_update: rfc3339Nanos });
export const acuUpdateSchema = z.object({ state: acuStateSchema, notification_id: z.uuid() });
export const acuHistorySchema = z.array(
  z.object({ id: z.number().int(), date: rfc3339Nanos, state_id: z.number().int(), alert: z.boolean() }),
);
export const acuErrorSchema = z.object({ error: z.string() });
