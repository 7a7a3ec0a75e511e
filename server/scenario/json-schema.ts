/**
 * The JSON Schema of scenario files, generated from the same zod definitions the loader uses,
 * so that an editor's checks and the simulator's can never disagree. Written to
 * `scenarios/schema.json` by `air-raid-sim schema --out`; a test keeps the committed copy current.
 */
import { z } from 'zod';
import { scenarioFileSchema } from '../domain/scenario.ts';

export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12', reused: 'ref' });
  const document = {
    ...schema,
    $id: 'https://air-raid-sim.invalid/scenario.schema.json',
    title: 'air-raid-sim scenario',
    description:
      'One night of aerial attack: its sources and its events, each at an offset from `start` or an absolute time. See README.md, "Scenario format".',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
