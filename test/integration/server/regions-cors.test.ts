/**
 * `GET /api/regions` (the region table with every external id) and cross-origin use
 * (`CORS_ORIGINS`): off by default, and for listed origins on the REST API, the compatible feeds
 * and the socket.io endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionsResponseSchema } from '../../../server/contract/regions.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, startTestServer } from '../../helpers/server.ts';

const APP = 'http://alerts-app.example:8080';

describe('GET /api/regions', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('lists 43 regions with names in three languages, a label point and the external ids', async () => {
    const { status, body } = await api(server, '/api/regions');
    expect(status).toBe(200);
    const { regions } = regionsResponseSchema.parse(body);
    expect(regions).toHaveLength(43);
    expect(regions.find((r) => r.code === 'UA-32')).toMatchObject({
      country: 'UA',
      name: { uk: 'Київська область', en: 'Kyiv oblast' },
      ids: { alertsInUa: { uid: '14', iotIndex: 10 }, ukrainealarm: { regionId: '14' }, alertsComUa: { id: 9 } },
    });
    expect(regions.find((r) => r.code === 'UA-43')!.ids).toEqual({ alertsInUa: { uid: '29', iotIndex: 0 }, ukrainealarm: { regionId: '9999' } });
    expect(regions.find((r) => r.code === 'UA-40')!.ids).toEqual({ alertsInUa: { uid: '30', iotIndex: 18 } });
    expect(regions.find((r) => r.code === 'PL-06')).toMatchObject({ country: 'PL', name: { pl: 'lubelskie' }, aliases: ['PL-LU'], ids: {} });
    const iot = regions.flatMap((r) => (r.ids.alertsInUa ? [r.ids.alertsInUa.iotIndex] : [])).sort((a, b) => a - b);
    expect(iot).toEqual(Array.from({ length: 27 }, (_, i) => i));
    for (const r of regions) {
      const [lon, lat] = r.labelPoint;
      expect(lon).toBeGreaterThan(14);
      expect(lon).toBeLessThan(41);
      expect(lat).toBeGreaterThan(44);
      expect(lat).toBeLessThan(55);
    }
  });

  it('answers one region by its code or alias, and an unknown code with not_found', async () => {
    expect((await api(server, '/api/regions/PL-LU')).body).toMatchObject({ code: 'PL-06' });
    expect((await api(server, '/api/regions/XX-99')).body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const { headers } = await api(server, '/api/regions', { headers: { origin: APP } });
    expect(headers.get('access-control-allow-origin')).toBeNull();
    const socket = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: APP } });
    expect(socket.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ corsOrigins: [APP] });
  });
  afterAll(() => server.close());

  it('lets a listed origin call the REST API and read caching headers', async () => {
    const { headers } = await api(server, '/api/regions', { headers: { origin: APP } });
    expect(headers.get('access-control-allow-origin')).toBe(APP);
    const other = await api(server, '/api/regions', { headers: { origin: 'http://elsewhere.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the preflight of a compatible feed call with a token header', async () => {
    const response = await fetch(`${server.url}/compat/alerts-in-ua/default/v1/alerts/active.json`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,if-modified-since' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const get = await fetch(`${server.url}/compat/alerts-in-ua/default/v1/alerts/active.json`, { headers: { origin: APP, authorization: 'Bearer t' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe(APP);
    expect(get.headers.get('access-control-expose-headers')).toMatch(/Last-Modified/);
  });

  it('lets a listed origin open the socket.io endpoint over polling', async () => {
    const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });
});
