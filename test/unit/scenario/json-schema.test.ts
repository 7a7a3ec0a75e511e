import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scenarioJsonSchemaText } from '../../../server/scenario/json-schema.ts';

describe('scenarios/schema.json', () => {
  it('is the schema generated from the loader\'s definitions (regenerate: npm run build)', () => {
    expect(readFileSync('scenarios/schema.json', 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('describes every event type and refuses unknown fields', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as Record<string, unknown>;
    const text = JSON.stringify(schema);
    for (const type of ['alert.start', 'siren.start', 'threat.move', 'impact', 'claim']) expect(text).toContain(`"const":"${type}"`);
    expect(text).toContain('"additionalProperties":false');
    expect(text).toContain('"PL-LU"');
  });
});
