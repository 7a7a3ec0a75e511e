/**
 * The contract as a document: `GET /api/openapi.json` passes an official OpenAPI parser, and real
 * responses of a running server (REST and compatible feeds) match the schemas it declares. Socket
 * payloads are checked against the same zod schemas the document is generated from.
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockMessageSchema, rosterSchema, snapshotSchema, welcomeSchema } from '../../../server/contract/wire.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, createSession, Recorder, startTestServer, until } from '../../helpers/server.ts';

let server: RunningServer;
let doc: { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Checks a body against `#/components/schemas/<name>` of the served document. */
function conforms(name: string, body: unknown): void {
  let check = validators.get(name);
  if (!check) {
    check = ajv.compile({ $ref: `#/components/schemas/${name}`, components: doc.components });
    validators.set(name, check);
  }
  const ok = check(body);
  expect(ok, `${name}: ${ajv.errorsText(check.errors)}`).toBe(true);
}

beforeAll(async () => {
  server = await startTestServer();
  doc = (await api<typeof doc>(server, '/api/openapi.json')).body;
});
afterAll(() => server.close());

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document with every REST path and compatible feed', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/regions',
        '/api/sessions/{id}',
        '/api/sessions/{id}/cap.atom',
        '/compat/alerts-in-ua/{session}/v1/alerts/active.json',
        '/compat/ukrainealarm/{session}/api/v3/alerts/{regionId}',
        '/compat/alerts-com-ua/{session}/api/states/live',
      ]),
    );
  });

  it('describes what the server really answers on REST', async () => {
    conforms('Health', (await api(server, '/api/health')).body);
    const listing = (await api<unknown[]>(server, '/api/scenarios')).body;
    listing.forEach((item) => conforms('ScenarioListing', item));
    conforms('Regions', (await api(server, '/api/regions')).body);
    conforms('Region', (await api(server, '/api/regions/UA-46')).body);
    const created = await api(server, '/api/sessions', { method: 'POST', json: { scenarioId: '2025-12-06-barrage', positionMs: 20_000_000, autoplay: false, kind: 'drill' } });
    conforms('CreatedSession', created.body);
    const { id, instructorToken } = created.body as { id: string; instructorToken: string };
    conforms('Snapshot', (await api(server, `/api/sessions/${id}`)).body);
    const auth = { authorization: `Bearer ${instructorToken}` };
    conforms('Clock', (await api(server, `/api/sessions/${id}/control`, { method: 'POST', headers: auth, json: { action: 'seek', positionMs: 30_000_000 } })).body);
    conforms('DrillReport', (await api(server, `/api/sessions/${id}/report`, { headers: auth })).body);
    conforms('Roster', (await api(server, `/api/sessions/${id}/roster`, { headers: auth })).body);
    const drill = (await api(server, `/api/sessions/${id}/drill`, { headers: auth })).body;
    conforms('CreatedSession', drill);
    conforms('JoinAnswer', (await api(server, `/api/join/${(drill as { joinCode: string }).joinCode}`)).body);
    conforms('Error', (await api(server, '/api/sessions/none')).body);
  });

  it('describes what the compatible feeds really answer', async () => {
    const { id } = await createSession(server, { scenarioId: '2025-12-06-barrage', positionMs: 20_000_000, autoplay: false });
    const aiu = (path: string) => api(server, `/compat/alerts-in-ua/${id}/v1${path}?token=t`).then((r) => r.body);
    conforms('AlertsInUaAlerts', await aiu('/alerts/active.json'));
    conforms('AlertsInUaIotStatus', await aiu('/iot/active_air_raid_alerts_by_oblast.json'));
    conforms('AlertsInUaIotRegion', await aiu('/iot/active_air_raid_alerts/14.json'));
    conforms('AlertsInUaAlerts', await aiu('/regions/14/alerts/week_ago.json'));
    conforms('AlertsInUaError', (await api(server, `/compat/alerts-in-ua/${id}/v1/alerts/active.json`)).body);
    const ua = (path: string) => api(server, `/compat/ukrainealarm/${id}/api/v3${path}`, { headers: { authorization: 'k' } }).then((r) => r.body);
    conforms('UkrainealarmRegions', await ua('/regions'));
    conforms('UkrainealarmAlertRegions', await ua('/alerts'));
    conforms('UkrainealarmAlertRegions', await ua('/alerts/14'));
    conforms('UkrainealarmStatus', await ua('/alerts/status'));
    conforms('UkrainealarmRegionHistory', await ua('/alerts/regionHistory?regionId=14'));
    const acu = (path: string) => api(server, `/compat/alerts-com-ua/${id}/api${path}`, { headers: { 'x-api-key': 'k' } }).then((r) => r.body);
    conforms('AlertsComUaStates', await acu('/states'));
    conforms('AlertsComUaState', await acu('/states/9'));
    conforms('AlertsComUaHistory', await acu('/history'));
    conforms('AlertsComUaError', (await api(server, `/compat/alerts-com-ua/${id}/api/states`)).body);
  });

  it('catches a body that breaks the contract', () => {
    const check = ajv.compile({ $ref: '#/components/schemas/AlertsInUaIotStatus', components: doc.components });
    expect(check('AAAA')).toBe(false);
    const alerts = ajv.compile({ $ref: '#/components/schemas/AlertsInUaAlerts', components: doc.components });
    expect(alerts({ alerts: [], meta: { last_updated_at: '2025-12-06T00:00:00Z', type: 'full' }, disclaimer: '' })).toBe(false);
  });
});

describe('socket payloads', () => {
  it('snapshot, clock, roster and welcome match the contract\'s schemas', async () => {
    const created = await createSession(server, { scenarioId: '2025-12-06-barrage', positionMs: 20_000_000, autoplay: false, kind: 'drill' });
    const instructor = new Recorder(server, { sessionId: created.id, role: 'instructor', token: created.instructorToken });
    await instructor.connected();
    const trainee = new Recorder(server, { sessionId: created.id, role: 'trainee', joinCode: created.joinCode, name: 'Olena', region: 'UA-32' });
    const welcome = new Promise<unknown>((resolve) => trainee.socket.once('welcome', resolve));
    await trainee.connected();
    welcomeSchema.parse(await welcome);
    await until(() => instructor.snapshots.length > 0 && instructor.rosters.length > 0, 'snapshot and roster');
    await api(server, `/api/sessions/${created.id}/control`, { method: 'POST', headers: { authorization: `Bearer ${created.instructorToken}` }, json: { action: 'speed', speed: 2 } });
    await until(() => instructor.clocks.length > 0, 'a clock');
    snapshotSchema.parse(instructor.snapshots[0]);
    clockMessageSchema.parse(instructor.clocks[0]);
    rosterSchema.parse(instructor.rosters.at(-1));
    instructor.close();
    trainee.close();
  });
});
