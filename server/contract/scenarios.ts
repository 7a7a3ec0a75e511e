import type { z } from 'zod';
import type { scenarioListingSchema } from './wire.ts';

/** An item of `GET /api/scenarios` (schema in contract/wire.ts). */
export type ScenarioListing = z.infer<typeof scenarioListingSchema>;
