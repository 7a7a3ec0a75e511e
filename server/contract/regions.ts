/**
 * `GET /api/regions`: the region table as apps need it, so nobody copies ids from the source.
 * Each region: its ISO 3166-2 code, names in Ukrainian, English and Polish, its country, a label
 * point inside it, the codes it still answers to on input, and how each real alert service
 * names it (absent where that service does not cover it).
 */
import { z } from 'zod';

export const regionEntrySchema = z.object({
  code: z.string().describe('ISO 3166-2 code, e.g. UA-46'),
  country: z.enum(['UA', 'PL']),
  name: z.object({ uk: z.string(), en: z.string(), pl: z.string() }),
  labelPoint: z.tuple([z.number(), z.number()]).describe('[longitude, latitude] of a point inside the region'),
  aliases: z.array(z.string()).describe("older codes accepted on input (Poland's letter codes)"),
  ids: z.object({
    alertsInUa: z.object({ uid: z.string(), iotIndex: z.number().int() }).optional().describe('alerts.in.ua location_uid and position in the IoT status string'),
    ukrainealarm: z.object({ regionId: z.string() }).optional(),
    alertsComUa: z.object({ id: z.number().int() }).optional(),
  }),
  neighbours: z.array(z.string()),
});
export type RegionEntry = z.infer<typeof regionEntrySchema>;

export const regionsResponseSchema = z.object({ regions: z.array(regionEntrySchema) });
export type RegionsResponse = z.infer<typeof regionsResponseSchema>;
