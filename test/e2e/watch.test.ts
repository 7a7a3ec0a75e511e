/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** The watch page in a real browser against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Scenario } from '../../server/domain/scenario.ts';
import { foldEvents } from '../../server/domain/reduce.ts';
import { initialState } from '../../server/domain/state.ts';
import { resolveMoment } from '../../server/domain/time.ts';
import type { RunningServer } from '../../server/server.ts';
import { ARTIFACTS, launchBrowser, type Browser } from '../helpers/browser.ts';
import { api, createSession, startTestServer } from '../helpers/server.ts';

let server: RunningServer;
let browser: Browser;
let seed: Scenario;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  seed = (await api<Scenario>(server, '/api/scenarios/2025-12-06-barrage')).body;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const WEST = ['UA-07', 'UA-46', 'UA-21', 'UA-26', 'UA-61', 'UA-56', 'UA-77'];

async function regionStates(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-region]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-region')!, e.getAttribute('data-state')!])));
}

function expectedStates(positionMs: number): Record<string, string> {
  const state = foldEvents(initialState(seed.initial.alerts), seed.events.filter((e) => e.atMs <= positionMs));
  return Object.fromEntries(Object.entries(state.regions).map(([code, r]) => [code, r.alert ? 'alert' : 'calm']));
}

const position = (page: Page) => page.$eval('[data-testid="clock"]', (e) => Number(e.getAttribute('data-position-ms')));

async function openAsInstructor(page: Page, sessionId: string, token: string, query = ''): Promise<void> {
  await page.goto(`${server.url}/s/${sessionId}${query}#token=${token}`);
  await page.waitForSelector('[data-region="UA-46"]');
}

describe('the watch page', () => {
  it('lists the scenarios; "Watch" opens a session that plays', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const titles = await page.$$eval('[data-testid="scenarios"] h2', (els) => els.map((e) => e.textContent));
    expect(titles.length).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('[data-scenario="2025-12-06-barrage"]')).toContain('88');
    await page.click('[data-action="watch"][data-scenario="demo"]');
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]+$/);
    await page.waitForSelector('[data-region="UA-46"]');
    const first = await position(page);
    await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > p + 1500, first);
    expect(page.url()).not.toContain('token');
    await page.close();
  });

  it('replays the seed night at 3600x: east first, west later, Polish sirens, the feed in order, calm at the end but for Luhansk and Donetsk', async () => {
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false });
    const page = await browser.newPage();
    await openAsInstructor(page, s.id, s.instructorToken);
    // Record, in the page, the order in which regions first turn to alert and whether PL-06's siren sounds.
    await page.evaluate(() => {
      const w = window as unknown as { firstAlert: string[]; sirenOn: boolean };
      w.firstAlert = [];
      w.sirenOn = false;
      new MutationObserver((mutations) => {
        for (const m of mutations) {
          const el = m.target as Element;
          const code = el.getAttribute('data-region')!;
          if (el.getAttribute('data-state') === 'alert' && !w.firstAlert.includes(code)) w.firstAlert.push(code);
          if (code === 'PL-06' && el.getAttribute('data-siren') === 'on') w.sirenOn = true;
        }
      }).observe(document.querySelector('svg.map')!, { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-siren'] });
    });
    await page.selectOption('[data-testid="speed"]', '3600');
    await page.click('[data-action="play"]');
    await page.waitForFunction(() => {
      const clock = document.querySelector('[data-testid="clock"]');
      return Number(clock?.getAttribute('data-position-ms')) >= 18 * 3_600_000 - 1000;
    }, undefined, { timeout: 40_000 });
    // Luhansk and Donetsk oblasts stay under the alerts they have been under since before the night.
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-region]')].every((e) => (['UA-09', 'UA-14'].includes(e.getAttribute('data-region')!) ? 'alert' : 'calm') === e.getAttribute('data-state')),
      undefined,
      { timeout: 5000 },
    );

    const { firstAlert, sirenOn } = await page.evaluate(() => {
      const w = window as unknown as { firstAlert: string[]; sirenOn: boolean };
      return { firstAlert: w.firstAlert, sirenOn: w.sirenOn };
    });
    expect(sirenOn).toBe(true);
    expect(firstAlert.length).toBeGreaterThan(20);
    for (const code of firstAlert.slice(0, 5)) expect(WEST).not.toContain(code);
    const lastEast = Math.max(...['UA-59', 'UA-53', 'UA-71'].map((c) => firstAlert.indexOf(c)));
    expect(lastEast).toBeLessThan(firstAlert.indexOf('UA-30'));
    for (const west of WEST) expect(firstAlert.indexOf(west), west).toBeGreaterThan(lastEast);

    const seqs = await page.$$eval('[data-testid="feed"] [data-seq]', (els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs.length).toBeGreaterThan(100);
    seqs.forEach((q, i) => i > 0 && expect(q).toBeGreaterThanOrEqual(seqs[i - 1]!));
    await page.screenshot({ path: `${ARTIFACTS}/watch-end-desktop.png` });
    await page.close();
  });

  it('restores the map of the moment the scrubber is dragged back to; steps by one event; opens at ?t=', async () => {
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false, positionMs: 14 * 3_600_000 });
    const page = await browser.newPage();
    await openAsInstructor(page, s.id, s.instructorToken);
    for (const back of [11.5 * 3_600_000, 3 * 3_600_000]) {
      await page.locator('[data-testid="scrubber"]').fill(String(back));
      await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, back);
      await page.waitForFunction(
        (expected) => Object.entries(expected).every(([code, state]) => document.querySelector(`[data-region="${code}"]`)?.getAttribute('data-state') === state),
        expectedStates(back),
        { timeout: 5000 },
      );
      expect(await regionStates(page)).toEqual(expectedStates(back));
    }

    const next = seed.events.find((e) => e.atMs > 3 * 3_600_000)!;
    await page.check('[data-testid="show-groups"]');
    const before = await page.$$eval('[data-testid="feed"] li', (els) => els.length);
    await page.click('[data-action="step-forward"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="feed"] li').length === n + 1, before);
    expect(await page.$eval('[data-testid="feed"] li:last-child', (e) => e.getAttribute('data-type'))).toBe(next.type);
    await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, next.atMs);
    await page.close();

    const t = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false });
    const atPage = await browser.newPage();
    await openAsInstructor(atPage, t.id, t.instructorToken, '?t=05:20');
    const expected = resolveMoment('05:20', seed.startMs, seed.timeZone)!;
    await atPage.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, expected);
    expect(await atPage.textContent('[data-testid="clock"]')).toContain('05:20');
    await atPage.waitForFunction((n) => [...document.querySelectorAll('[data-region]')].filter((e) => e.getAttribute('data-state') === 'alert').length >= n, 24);
    // The map's furniture: faint neighbours, the credit, launch sites and places abroad, impacts by kind, the timeline's histogram and markers.
    expect(await atPage.$$eval('.context .country', (els) => els.length)).toBeGreaterThanOrEqual(5);
    expect(await atPage.textContent('.map-figure figcaption')).toContain('Natural Earth');
    expect(await atPage.$$eval('.place-label', (els) => els.map((e) => e.textContent))).toEqual(expect.arrayContaining(['Ryazan', 'Kursk']));
    expect(await atPage.$$eval('.impact.target-rail', (els) => els.length)).toBe(2);
    expect(await atPage.$$eval('.impact.target-energy', (els) => els.length)).toBeGreaterThan(2);
    expect(await atPage.$$eval('.histogram rect', (els) => els.length)).toBe(120);
    expect(await atPage.$$eval('.marker.siren, .marker.jets, .marker.clear, .marker.alert', (els) => els.length)).toBe(4);
    await atPage.setViewportSize({ width: 390, height: 844 });
    await atPage.screenshot({ path: `${ARTIFACTS}/watch-0520-phone.png`, fullPage: true });
    await atPage.setViewportSize({ width: 1400, height: 900 });
    await atPage.screenshot({ path: `${ARTIFACTS}/watch-0520-desktop.png` });
    await atPage.close();
  });

  it('switches the feed\'s language and remembers it', async () => {
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false, positionMs: 8 * 3_600_000 });
    const page = await browser.newPage();
    await openAsInstructor(page, s.id, s.instructorToken);
    await page.selectOption('[data-testid="language"]', 'en');
    await page.waitForSelector('[data-testid="feed"] li');
    // A session that starts at a moment has applied the events before it (those at it fire on play).
    // Group positions are drawn on the map, not listed in the feed.
    const lastEvent = seed.events.filter((e) => e.atMs < 8 * 3_600_000 && e.type !== 'threat.move').at(-1)!;
    const text = () => page.$eval('[data-testid="feed"] li:last-child .text', (e) => e.textContent);
    expect(await text()).toBe(lastEvent.text.en);
    await page.selectOption('[data-testid="language"]', 'uk');
    expect(await text()).toBe(lastEvent.text.uk);
    await page.reload();
    await page.waitForSelector('[data-testid="feed"] li');
    expect(await page.$eval('[data-testid="language"]', (e) => (e as HTMLSelectElement).value)).toBe('uk');
    await page.selectOption('[data-testid="language"]', 'en');
    await page.close();
  });

  it('shows scenario text literally and runs nothing from it', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const upload = await api(server, '/api/scenarios', {
      method: 'POST',
      json: {
        id: 'hostile-text',
        title: { en: `Title ${evil}` },
        description: { en: `Description ${evil}` },
        start: '2025-12-05T18:00:00+02:00',
        timeZone: 'Europe/Kyiv',
        events: [{ at: '00:00:01', type: 'statement', org: 'x', text: { en: `Statement ${evil}` } }],
      },
    });
    expect(upload.status).toBe(201);
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-scenario="hostile-text"]');
    expect(await page.textContent('[data-scenario="hostile-text"] h2')).toBe(`Title ${evil}`);
    const s = await createSession(server, { scenarioId: 'hostile-text', autoplay: true, speed: 60 });
    await openAsInstructor(page, s.id, s.instructorToken);
    await page.waitForSelector('[data-testid="feed"] li');
    expect(await page.textContent('[data-testid="feed"] li .text')).toBe(`Statement ${evil}`);
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('follows a region: banner and announcement when its alert starts and ends; keyboard, filters, hover and siren marks', async () => {
    const volynStart = seed.events.find((e) => e.type === 'alert.start' && e.region === 'UA-07')!;
    const volynEnd = seed.events.find((e) => e.type === 'alert.end' && e.region === 'UA-07')!;
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false, positionMs: volynStart.atMs - 1000 });
    const page = await browser.newPage();
    await openAsInstructor(page, s.id, s.instructorToken);
    await page.selectOption('[aria-label="Region I follow"]', 'UA-07');
    await page.check('text=Siren sound');
    // Keyboard (with no form field focused): 5 is 3600x; space plays; "?" lists the shortcuts.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('5');
    await page.waitForFunction(() => (document.querySelector('[data-testid="speed"]') as HTMLSelectElement).value === '3600');
    await page.keyboard.press('?');
    expect(await page.isVisible('.shortcuts')).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.isVisible('.shortcuts')).toBe(false);
    await page.keyboard.press(' ');
    await page.waitForSelector('[data-testid="alert-banner"][data-state="alert"]');
    expect(await page.textContent('[data-testid="alert-banner"]')).toContain('Volyn');
    expect(await page.getAttribute('[data-testid="alert-banner"]', 'class')).toContain('alert');
    expect(await page.textContent('[data-testid="announcer"]')).toContain('Volyn');
    // The Polish sirens sounded by mistake are marked as such on the map.
    await page.waitForSelector('[data-region="PL-06"][data-siren="on"][data-siren-erroneous="true"]', { timeout: 20_000 });
    await page.hover('[data-region="PL-06"]');
    expect(await page.textContent('.map-info')).toMatch(/Lublin.*by mistake/);
    await page.waitForFunction((end) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > end, volynEnd.atMs, { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="alert-banner"]')?.className.includes('clear'));
    await page.keyboard.press(' ');
    // Hover shows the region's name and, under alert, how long it has lasted.
    await page.locator('[data-testid="scrubber"]').fill(String(volynStart.atMs + 30 * 60_000));
    await page.waitForSelector('[data-region="UA-07"][data-state="alert"]');
    await page.focus('[data-region="UA-07"]');
    await page.waitForFunction(() => /Volyn — Air-raid alert since \d\d:\d\d · under alert for 0:30/.test(document.querySelector('.map-info')?.textContent ?? ''));
    // An alert begun before the night shows the date it began, with its year, not a count of hours.
    await page.focus('[data-region="UA-09"]');
    await page.waitForFunction(() => /^Luhansk — Air-raid alert since \d\d:\d\d, 4 April 2022$/.test(document.querySelector('.map-info')?.textContent ?? ''));
    // Filters: by type, then by region.
    const all = await page.$$eval('[data-testid="feed"] li', (els) => els.length);
    await page.selectOption('[aria-label="Filter by type"]', 'alert.start');
    const types = await page.$$eval('[data-testid="feed"] li', (els) => els.map((e) => e.getAttribute('data-type')));
    expect(types.length).toBeGreaterThan(0);
    expect(types.length).toBeLessThan(all);
    expect(new Set(types)).toEqual(new Set(['alert.start']));
    await page.selectOption('[aria-label="Filter by type"]', '');
    await page.selectOption('[aria-label="Filter by region"]', 'UA-07');
    const texts = await page.$$eval('[data-testid="feed"] li .text', (els) => els.map((e) => e.textContent ?? ''));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => /Volyn/.test(t))).toBe(true);
    await page.close();
  });

  it('moves a tracked group smoothly between its reported positions, with its count', async () => {
    const moves = seed.events.filter((e): e is Extract<typeof e, { type: 'threat.move' }> => e.type === 'threat.move' && e.trackId === 'd1-north-kyiv');
    const [a, b] = [moves[3]!, moves[4]!];
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false, positionMs: a.atMs + 1 });
    const page = await browser.newPage();
    await openAsInstructor(page, s.id, s.instructorToken);
    const at = async (ms: number) => {
      await page.locator('[data-testid="scrubber"]').fill(String(ms));
      await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, ms);
      await page.waitForTimeout(100);
      const transform = await page.getAttribute('[data-track="d1-north-kyiv"]', 'transform');
      const [x, y] = /translate\(([\d.-]+) ([\d.-]+)\)/.exec(transform ?? '')!.slice(1).map(Number) as [number, number];
      return { x, y, count: await page.textContent('[data-track="d1-north-kyiv"] .track-count') };
    };
    const start = await at(Math.ceil(a.atMs / 1000) * 1000);
    const middle = await at(Math.round((a.atMs + b.atMs) / 2000) * 1000);
    const end = await at(Math.floor((b.atMs - 1) / 1000) * 1000);
    expect(start.count).toBe(String(a.count));
    expect(Math.hypot(end.x - start.x, end.y - start.y)).toBeGreaterThan(3);
    expect(Math.abs(middle.x - (start.x + end.x) / 2)).toBeLessThan(2);
    expect(Math.abs(middle.y - (start.y + end.y) / 2)).toBeLessThan(2);
    await page.close();
  });

  it('writes no errors to the browser console', () => {
    expect(browser.errors).toEqual([]);
  });
});

describe('the watch page across a server restart', () => {
  it('reconnects by itself and carries on', async () => {
    const first = await startTestServer();
    const port = first.port;
    const page = await browser.newPage();
    const s = await createSession(first, { scenarioId: '2025-12-06-barrage', speed: 600, autoplay: true });
    await page.goto(`${first.url}/s/${s.id}#token=${s.instructorToken}`);
    await page.waitForSelector('[data-region="UA-46"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > 60_000);
    await first.close();
    await page.waitForSelector('.connection:not([hidden])');
    const second = await startTestServer({ port });
    try {
      await page.waitForURL((url) => !url.pathname.endsWith(s.id), { timeout: 15_000 });
      await page.waitForSelector('.connection[hidden]', { state: 'attached' });
      const after = await position(page);
      await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > p + 60_000, after);
      expect(second.registry.size).toBe(1);
    } finally {
      await page.close();
      await second.close();
    }
  });
});
