/// <reference lib="dom" />
/** The page says when test faults are on, and when they are off again, in a real browser. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { launchBrowser, type Browser } from '../helpers/browser.ts';
import { api, createSession, startTestServer } from '../helpers/server.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('faults on the page', () => {
  it('shows the faults a session applies while they are on', async () => {
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false });
    const headers = { authorization: `Bearer ${s.instructorToken}` };
    const page = await browser.newPage();
    await page.goto(`${server.url}/s/${s.id}`);
    await page.waitForSelector('[data-region="UA-46"]');
    expect(await page.isHidden('[data-testid="faults"]')).toBe(true);
    await api(server, `/api/sessions/${s.id}/faults`, { method: 'PUT', headers, json: { seed: 2, duplicate: { rate: 0.1 }, latency: { rate: 1, ms: 50 } } });
    await page.waitForSelector('[data-testid="faults"]', { state: 'visible' });
    const text = await page.textContent('[data-testid="faults"]');
    expect(text).toContain('duplicate');
    expect(text).toContain('latency');
    await api(server, `/api/sessions/${s.id}/faults`, { method: 'DELETE', headers });
    await page.waitForSelector('[data-testid="faults"]', { state: 'hidden' });
    await page.close();
  });
});
