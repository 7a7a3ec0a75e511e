/**
 * The AsyncAPI document of the socket protocol: served, valid AsyncAPI 3 (checked by the
 * official parser), and describing what a real session sends (its payloads parse real messages).
 */
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../client/sdk/index.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, createSession, startTestServer } from '../../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /api/asyncapi.json', () => {
  it('is a valid AsyncAPI 3 document with every socket event', async () => {
    const { status, body } = await api<Record<string, unknown>>(server, '/api/asyncapi.json');
    expect(status).toBe(200);
    const parser = new Parser();
    const { document, diagnostics } = await parser.parse(JSON.stringify(body));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document).toBeDefined();
    const names = document!.allMessages().all().map((m) => m.name());
    for (const event of ['snapshot', 'events', 'clock', 'roster', 'welcome', 'bye', 'faults', 'control', 'shelter', 'inject']) expect(names).toContain(event);
    expect(document!.operations().all().find((o) => o.id() === 'sendControl')?.reply()).toBeDefined();
  });

  it('has payload schemas that accept what a live session sends', async () => {
    const doc = (await api<{ components: { schemas: Record<string, object> } }>(server, '/api/asyncapi.json')).body;
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', positionMs: 3 * 3_600_000, speed: 3600, autoplay: false });
    const client = connect({ url: server.url, sessionId: s.id, token: s.instructorToken });
    const events: unknown[] = [];
    client.raw$.subscribe((m) => m.name === 'events' && events.push(m.payload));
    const snapshot = await client.ready();
    const check = (name: string, value: unknown) => {
      const validate = ajv.getSchema(`#/components/schemas/${name}`)!;
      expect(validate(value), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    };
    check('Snapshot', snapshot);
    const ack = await client.control({ action: 'play' });
    check('ControlAck', ack);
    await new Promise((r) => setTimeout(r, 800));
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) check('Events', e);
    check('Clock', client.clock);
    client.close();
  });
});
