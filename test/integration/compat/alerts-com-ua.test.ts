/**
 * alerts.com.ua as its users read it: `fetch` with `X-API-Key`, and the server-sent-events
 * stream read by a generic SSE parser, below `/compat/alerts-com-ua/{session}`.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acuHistorySchema, acuOneStateSchema, acuShortStatesSchema, acuStatesSchema, acuUpdateSchema } from '../../../server/contract/compat.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, startTestServer } from '../../helpers/server.ts';
import { kyivNight, pausedSeed, type AlertSpan, type SeedSession } from './helpers.ts';

const KYIV_OBLAST = 9;

let server: RunningServer;
let kyiv: AlertSpan;
let seed: SeedSession;
const get = (path: string) => api(server, `/compat/alerts-com-ua/${seed.id}${path}`, { headers: { 'x-api-key': 'key' } });

beforeAll(async () => ({ server, kyiv, seed } = await kyivNight()));
afterAll(() => server.close());

describe('alerts.com.ua', () => {
  it('lists the 25 states with ids 1 to 25, and a state\'s alert between its start and end', async () => {
    await seed.seek(kyiv.startMs - 1000);
    const before = acuStatesSchema.parse((await get('/api/states')).body);
    expect(before.states.map((s) => s.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(before.states.find((s) => s.id === KYIV_OBLAST)).toMatchObject({ name: 'Київська область', alert: false });

    await seed.seek(kyiv.startMs);
    const one = acuOneStateSchema.parse((await get(`/api/states/${KYIV_OBLAST}`)).body);
    expect(one.state).toMatchObject({ id: KYIV_OBLAST, alert: true });
    expect(one.state!.changed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+0[23]:00$/);
    const short = acuShortStatesSchema.parse((await get('/api/states?short')).body);
    expect(short.states.find((s) => s.id === KYIV_OBLAST)).toEqual({ id: KYIV_OBLAST, alert: true });

    await seed.seek(kyiv.endMs);
    expect(acuOneStateSchema.parse((await get(`/api/states/${KYIV_OBLAST}`)).body).state?.alert).toBe(false);
    expect(acuOneStateSchema.parse((await get('/api/states/77')).body).state).toBeNull();
  });

  it('keeps a history of every change', async () => {
    await seed.seek(kyiv.endMs);
    const history = acuHistorySchema.parse((await get('/api/history')).body);
    const dates = history.map((h) => Date.parse(h.date));
    expect(dates).toEqual([...dates].sort((a, b) => a - b)); // opening alerts included, oldest first
    expect(history.map((h) => h.id)).toEqual(history.map((_, i) => i + 1));
    const kyivChanges = history.filter((h) => h.state_id === KYIV_OBLAST);
    expect(kyivChanges.map((h) => h.alert)).toEqual([true, false]);
    expect(Date.parse(kyivChanges[1]!.date) - Date.parse(kyivChanges[0]!.date)).toBe(kyiv.endMs - kyiv.startMs);
  });

  it('refuses a request without a key with 403 and an error body', async () => {
    const { status, body } = await api(server, `/compat/alerts-com-ua/${seed.id}/api/states`);
    expect(status).toBe(403);
    expect(body).toEqual({ error: expect.any(String) });
  });

  it('streams hello, then an update when a state\'s alert starts, with CRLF line ends', async () => {
    await seed.seek(kyiv.startMs - 1000);
    const stream = await openStream(`/compat/alerts-com-ua/${seed.id}/api/states/live/${KYIV_OBLAST}`);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache');
    await stream.until(() => stream.events.length >= 1);
    expect(stream.events[0]).toMatchObject({ event: 'hello', data: 'null' });
    await seed.seek(kyiv.startMs);
    await stream.until(() => stream.events.some((e) => e.event === 'update'));
    const update = acuUpdateSchema.parse(JSON.parse(stream.events.find((e) => e.event === 'update')!.data));
    expect(update.state).toMatchObject({ id: KYIV_OBLAST, alert: true });
    expect(stream.raw()).toContain('event: hello\r\ndata: null\r\n\r\n');
    stream.close();
  });

  it('reports an alert that starts and ends between two looks as two updates, in order', async () => {
    await seed.seek(kyiv.startMs - 1000);
    const stream = await openStream(`/compat/alerts-com-ua/${seed.id}/api/states/live`);
    await stream.until(() => stream.events.length >= 1);
    await seed.seek(kyiv.endMs + 1000); // one jump over the whole alert
    const kyivUpdates = () => stream.events.filter((e) => e.event === 'update').map((e) => acuUpdateSchema.parse(JSON.parse(e.data)).state).filter((s) => s.id === KYIV_OBLAST);
    await stream.until(() => kyivUpdates().length >= 2);
    expect(kyivUpdates().map((s) => s.alert)).toEqual([true, false]);
    stream.close();
  });
});

/** An event stream read with a generic SSE parser, with the key in a header as the service wants it. */
async function openStream(path: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${path}`, { headers: { 'x-api-key': 'key' }, signal: controller.signal });
  const events: EventSourceMessage[] = [];
  let raw = '';
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  return {
    response,
    events,
    raw: () => raw,
    async until(done: () => boolean) {
      while (!done()) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error('the stream ended');
        const text = decoder.decode(chunk.value, { stream: true });
        raw += text;
        parser.feed(text);
      }
    },
    close: () => controller.abort(),
  };
}

describe('alerts.com.ua: real rate limits', () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await startTestServer({ compat: { realRateLimits: true } });
  });
  afterAll(() => strict.close());

  it('allows /api/history once a minute per key and says how long to wait', async () => {
    const session = await pausedSeed(strict, 0);
    const history = () => api(strict, `/compat/alerts-com-ua/${session.id}/api/history`, { headers: { 'x-api-key': 'k' } });
    expect((await history()).status).toBe(200);
    const refused = await history();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: expect.stringMatching(/wait \d+ seconds/) });
  });
});

describe('alerts.com.ua: shutdown', () => {
  it('ends open event streams so the server can close', async () => {
    const closing = await startTestServer();
    const response = await fetch(`${closing.url}/compat/alerts-com-ua/default/api/states/live`, { headers: { 'x-api-key': 'k' } });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: hello');
    await closing.close('test');
    let chunk = await reader.read();
    while (!chunk.done) chunk = await reader.read();
    expect(chunk.done).toBe(true);
  });
});
