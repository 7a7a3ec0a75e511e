/**
 * The OpenAPI 3.1 document of the REST API and the compatible feeds, generated from the zod
 * schemas of the contract (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses), served at
 * `GET /api/openapi.json`. Nothing in it is written by hand but the list of paths: a schema that
 * changes changes the document.
 */
import { z } from 'zod';
import {
  acuErrorSchema,
  acuHistorySchema,
  acuOneStateSchema,
  acuStatesSchema,
  aiuAlertsSchema,
  aiuErrorSchema,
  aiuIotRegionSchema,
  aiuIotStatusSchema,
  uaAlertRegionsSchema,
  uaRegionHistorySchema,
  uaRegionNodeSchema,
  uaRegionsSchema,
  uaStatusSchema,
  uaWebhookSchema,
} from './compat.ts';
import { errorBodySchema } from './errors.ts';
import { faultProfileSchema, faultReportSchema } from './faults.ts';
import { createdWebhookSchema, deliveryLogSchema, registerWebhookSchema, webhookSchema } from './webhooks.ts';
import { regionEntrySchema, regionsResponseSchema } from './regions.ts';
import { controlSchema, createSessionSchema } from './session.ts';
import {
  clockMessageSchema,
  createdScenarioSchema,
  createdSessionSchema,
  drillReportSchema,
  healthSchema,
  joinAnswerSchema,
  rosterSchema,
  scenarioListingSchema,
  snapshotSchema,
} from './wire.ts';

const SCHEMAS = {
  Error: errorBodySchema,
  Health: healthSchema,
  ScenarioListing: scenarioListingSchema,
  CreatedScenario: createdScenarioSchema,
  CreateSession: createSessionSchema,
  CreatedSession: createdSessionSchema,
  Snapshot: snapshotSchema,
  Control: controlSchema,
  Clock: clockMessageSchema,
  DrillReport: drillReportSchema,
  Roster: rosterSchema,
  JoinAnswer: joinAnswerSchema,
  Region: regionEntrySchema,
  Regions: regionsResponseSchema,
  AlertsInUaAlerts: aiuAlertsSchema,
  AlertsInUaIotStatus: aiuIotStatusSchema,
  AlertsInUaIotRegion: aiuIotRegionSchema,
  AlertsInUaError: aiuErrorSchema,
  UkrainealarmAlertRegions: uaAlertRegionsSchema,
  UkrainealarmStatus: uaStatusSchema,
  UkrainealarmRegionNode: uaRegionNodeSchema,
  UkrainealarmRegions: uaRegionsSchema,
  UkrainealarmRegionHistory: uaRegionHistorySchema,
  UkrainealarmWebhook: uaWebhookSchema,
  AlertsComUaStates: acuStatesSchema,
  AlertsComUaState: acuOneStateSchema,
  AlertsComUaHistory: acuHistorySchema,
  AlertsComUaError: acuErrorSchema,
  FaultProfile: faultProfileSchema,
  FaultReport: faultReportSchema,
  RegisterWebhook: registerWebhookSchema,
  CreatedWebhook: createdWebhookSchema,
  Webhooks: z.object({ webhooks: z.array(webhookSchema) }),
  DeliveryLog: deliveryLogSchema,
} as const;
export type SchemaName = keyof typeof SCHEMAS;

function componentSchemas(): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema as z.ZodType, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]));
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName, description: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const xml = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const sessionParam = pathParam('session', 'a session id, or `default` for the session that plays the seed night');

type Op = Record<string, unknown>;
const get = (summary: string, responses: Record<string, unknown>, extra: Op = {}) => ({ get: { summary, responses, ...extra } });

function restPaths(): Record<string, unknown> {
  const error = json('Error', 'a typed error');
  const id = pathParam('id', 'session id');
  const instructor = [{ instructorToken: [] }];
  return {
    '/api/health': get('server health', { 200: json('Health', 'ok') }),
    '/api/regions': get('the region table with every external id', { 200: json('Regions', 'the 43 regions') }),
    '/api/regions/{code}': get('one region by ISO 3166-2 code or alias', { 200: json('Region', 'the region'), 404: error }, { parameters: [pathParam('code', 'e.g. UA-46 or PL-LU')] }),
    '/api/scenarios': {
      ...get('the scenarios this server can play', { 200: { description: 'listing', content: { 'application/json': { schema: { type: 'array', items: ref('ScenarioListing') } } } } }),
      post: { summary: 'upload a scenario (JSON or YAML)', responses: { 201: json('CreatedScenario', 'stored'), 400: error, 409: error } },
    },
    '/api/sessions': {
      post: {
        summary: 'start a session',
        requestBody: { required: true, content: { 'application/json': { schema: ref('CreateSession') } } },
        responses: { 201: json('CreatedSession', 'the new session, its join code and instructor token'), 400: error },
      },
    },
    '/api/sessions/{id}': {
      ...get('the session\'s snapshot', { 200: json('Snapshot', 'the state at the current position'), 404: error }, { parameters: [id] }),
      delete: { summary: 'erase a drill and everything kept of it', parameters: [id], security: instructor, responses: { 204: { description: 'erased' }, 401: error, 403: error, 404: error } },
    },
    '/api/sessions/{id}/roster': get('a drill\'s trainees, their states and answers', { 200: json('Roster', 'the roster'), 401: error, 403: error, 404: error }, { parameters: [id], security: instructor }),
    '/api/sessions/{id}/drill': get('a drill\'s join code, links and offered regions', { 200: json('CreatedSession', 'the drill'), 401: error, 403: error, 404: error }, { parameters: [id], security: instructor }),
    '/api/sessions/{id}/control': {
      post: {
        summary: 'play, pause, seek, speed, step, restart, loop',
        parameters: [id],
        security: instructor,
        requestBody: { required: true, content: { 'application/json': { schema: ref('Control') } } },
        responses: { 200: json('Clock', 'the new clock'), 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/api/sessions/{id}/report': get('the drill report (CSV with ?format=csv)', { 200: json('DrillReport', 'the report'), 401: error, 403: error }, { parameters: [id], security: instructor }),
    '/api/sessions/{id}/cap.atom': get('the session\'s CAP 1.2 messages as an Atom feed', { 200: xml('application/atom+xml', 'Atom feed'), 404: error }, { parameters: [id] }),
    '/api/sessions/{id}/cap/{identifier}.xml': get('one CAP 1.2 message', { 200: xml('application/cap+xml', 'CAP alert'), 404: error }, { parameters: [id, pathParam('identifier', 'CAP identifier')] }),
    '/api/sessions/{id}/faults': {
      ...get('the faults the session applies, and what they have done so far', { 200: json('FaultReport', 'the profile and its counts'), 404: error }, { parameters: [id] }),
      put: { summary: 'set the session\'s fault profile', parameters: [id], security: instructor, requestBody: { required: true, content: { 'application/json': { schema: ref('FaultProfile') } } }, responses: { 200: json('FaultReport', 'now applied'), 400: error, 401: error, 403: error, 404: error } },
      delete: { summary: 'turn the session\'s faults off', parameters: [id], security: instructor, responses: { 200: json('FaultReport', 'none applied'), 401: error, 403: error, 404: error } },
    },
    '/api/sessions/{id}/webhooks': {
      ...get('the session\'s webhooks (also after the session is gone, for the token that registered them)', { 200: json('Webhooks', 'registrations, without secrets'), 401: error, 403: error, 404: error }, { parameters: [id], security: instructor }),
      post: { summary: 'register a URL to receive every alert change, signed', parameters: [id], security: instructor, requestBody: { required: true, content: { 'application/json': { schema: ref('RegisterWebhook') } } }, responses: { 201: json('CreatedWebhook', 'registered; the secret is shown this once'), 400: error, 401: error, 403: error, 404: error, 429: error } },
    },
    '/api/sessions/{id}/webhooks/{hookId}': {
      delete: { summary: 'remove a webhook; what is pending for it is dropped', parameters: [id, pathParam('hookId', 'webhook id')], security: instructor, responses: { 204: { description: 'removed' }, 401: error, 403: error, 404: error } },
    },
    '/api/sessions/{id}/webhooks/{hookId}/deliveries': get('the delivery log: attempts, statuses and latencies, newest first', { 200: json('DeliveryLog', 'the log'), 401: error, 403: error, 404: error }, { parameters: [id, pathParam('hookId', 'webhook id')], security: instructor }),
    '/api/join/{code}': get('the drill a join code belongs to: its title and the regions a trainee may pick', { 200: json('JoinAnswer', 'found'), 404: error, 429: error }, { parameters: [pathParam('code', 'join code')] }),
  };
}

function compatPaths(): Record<string, unknown> {
  const aiu = '/compat/alerts-in-ua/{session}/v1';
  const aiuErr = json('AlertsInUaError', 'refused');
  const aiuOp = (summary: string, name: SchemaName, more: Op = {}) =>
    get(summary, { 200: json(name, 'as the service sends it'), 304: { description: 'not modified since If-Modified-Since' }, 401: aiuErr, 429: aiuErr }, { security: [{ aiuBearer: [] }, { aiuQuery: [] }], tags: ['alerts.in.ua'], ...more });
  const ua = '/compat/ukrainealarm/{session}/api/v3';
  const uaOp = (summary: string, name: SchemaName, more: Op = {}) =>
    get(summary, { 200: json(name, 'as the service sends it'), 401: { description: 'no key, or not a listed one' }, 404: { description: 'unknown region' }, 429: { description: 'over the limit; Retry-After' } }, { security: [{ uaKey: [] }], tags: ['ukrainealarm'], ...more });
  const acu = '/compat/alerts-com-ua/{session}/api';
  const acuErr = json('AlertsComUaError', 'refused');
  const acuOp = (summary: string, name: SchemaName | undefined, more: Op = {}) =>
    get(summary, { 200: name ? json(name, 'as the service sends it') : { description: 'server-sent events: hello, update, ping', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 403: acuErr, 429: acuErr }, { security: [{ acuKey: [] }], tags: ['alerts.com.ua'], ...more });
  // Every compat path has {session}; the others it has are described once here.
  const params: Record<string, string> = { uid: 'alerts.in.ua location UID', regionId: 'ukrainealarm regionId', id: 'alerts.com.ua state id', period: 'week_ago or month_ago' };
  const parametersOf = (path: string) => [sessionParam, ...Object.entries(params).filter(([name]) => path.includes(`{${name}}`)).map(([name, text]) => pathParam(name, text))];
  const withSession = (paths: Record<string, { get?: Op; post?: Op }>) => Object.fromEntries(Object.entries(paths).map(([p, item]) => [p, { parameters: parametersOf(p), ...item }]));
  return withSession({
    [`${aiu}/alerts/active.json`]: aiuOp('active alerts', 'AlertsInUaAlerts'),
    [`${aiu}/iot/active_air_raid_alerts_by_oblast.json`]: aiuOp('27 letters A/P/N in the service\'s order', 'AlertsInUaIotStatus'),
    [`${aiu}/iot/active_air_raid_alerts/{uid}.json`]: aiuOp('one oblast\'s letter', 'AlertsInUaIotRegion'),
    [`${aiu}/regions/{uid}/alerts/{period}.json`]: aiuOp('an oblast\'s alert history', 'AlertsInUaAlerts'),
    [`${ua}/regions`]: uaOp('the region tree', 'UkrainealarmRegions'),
    [`${ua}/alerts`]: uaOp('regions under alert', 'UkrainealarmAlertRegions'),
    [`${ua}/alerts/{regionId}`]: uaOp('one region, as an array', 'UkrainealarmAlertRegions'),
    [`${ua}/alerts/status`]: uaOp('the last action index', 'UkrainealarmStatus'),
    [`${ua}/alerts/regionHistory`]: uaOp('a region\'s last 25 alarms', 'UkrainealarmRegionHistory', { parameters: [{ name: 'regionId', in: 'query', required: true, schema: { type: 'string' } }] }),
    [`${ua}/webhook`]: {
      post: { summary: 'register a webhook', tags: ['ukrainealarm'], security: [{ uaKey: [] }], requestBody: { content: { 'application/json': { schema: ref('UkrainealarmWebhook') } } }, responses: { 200: { description: 'registered' }, 400: { description: 'no webHookUrl' } } },
    },
    [`${acu}/states`]: acuOp('every state', 'AlertsComUaStates', { parameters: [{ name: 'short', in: 'query', schema: { type: 'string' }, description: 'present: states reduced to id and alert' }] }),
    [`${acu}/states/{id}`]: acuOp('one state (null when unknown)', 'AlertsComUaState'),
    [`${acu}/states/live`]: acuOp('live changes of every state', undefined),
    [`${acu}/history`]: acuOp('every change so far', 'AlertsComUaHistory'),
  });
}

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'air-raid-sim',
      version,
      description: 'The REST API of the air-raid alert simulator and its feeds compatible with alerts.in.ua, ukrainealarm and alerts.com.ua. Socket.io messages are described in the README.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: { ...restPaths(), ...compatPaths() },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        instructorToken: { type: 'http', scheme: 'bearer', description: 'the session\'s instructorToken' },
        aiuBearer: { type: 'http', scheme: 'bearer' },
        aiuQuery: { type: 'apiKey', in: 'query', name: 'token' },
        uaKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'the raw key, no scheme' },
        acuKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
