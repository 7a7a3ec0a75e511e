/**
 * A short drill end to end in real browsers: one instructor at 1280x720 hosts it from the
 * library, the console shows the code and a QR code that decodes to the join link; three
 * trainees at 390x844 join; the night's alert reaches only the trainees of its region, with the
 * alarm screen (title, vibration, siren tone); an answer shows in the roster; an inject alerts
 * another region's trainee at once; a trainee who pressed nothing is reported missed; and the
 * report's response times are the ones the trainees were shown.
 */
import { mkdirSync } from 'node:fs';
import * as jsqr from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { ARTIFACTS, chromiumPath } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS with its function on `default`; how deep it sits depends on the loader.
const decodeQr: Decode = (() => {
  let m: unknown = jsqr;
  while (typeof m !== 'function') m = (m as { default: unknown }).default;
  return m as Decode;
})();

let server: RunningServer;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required'] });
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  // The phone's vibration and the siren's oscillators are recorded, to see that the alarm used them.
  await context.addInitScript(() => {
    localStorage.setItem('air-raid-sim.lang', 'en');
    const w = window as unknown as { vibrations: unknown[]; tones: number };
    w.vibrations = [];
    w.tones = 0;
    Object.defineProperty(navigator, 'vibrate', { value: (pattern: unknown) => (w.vibrations.push(pattern), true) });
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
      w.tones += 1;
      return start.apply(this, args);
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function joinAs(page: Page, link: string, name: string, region: string): Promise<void> {
  await page.goto(link);
  await page.waitForSelector('[data-testid="drill-title"]');
  expect(await page.textContent('[data-testid="drill-title"]')).toBe('Exercise: a ten-minute night (fictional)');
  // No region is chosen for the trainee: joining without one is refused with a clear message.
  await page.fill('input[name="name"]', name);
  await page.click('button[type="submit"]');
  expect(await page.textContent('[data-testid="join-error"]')).toBe('Choose your region.');
  await page.selectOption('select[name="region"]', region);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="trainee-screen"][data-state="waiting"]');
}

const state = (page: Page) => page.getAttribute('[data-testid="trainee-screen"]', 'data-state');
const rosterState = (console: Page, name: string) => console.locator('[data-testid="roster"] tr', { hasText: name }).getAttribute('data-state');

describe('a drill in the browser', () => {
  it('runs from hosting to the report with one instructor and three trainees', async () => {
    const instructor = await open({ width: 1280, height: 720 });
    await instructor.goto(server.url);
    await instructor.click('[data-scenario="demo"] [data-action="host"]');
    await instructor.waitForSelector('[data-testid="host-form"]');
    // Ten scenario seconds before Kyiv oblast's alert at 00:02:00, at 10x.
    await instructor.fill('input[name="start"]', '+00:01:50');
    await instructor.selectOption('select[name="speed"]', '10');
    await instructor.click('[data-testid="host-form"] button[type="submit"]');
    await instructor.waitForSelector('[data-testid="join-code"]');
    const code = (await instructor.textContent('[data-testid="join-code"]'))!;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const link = (await instructor.getAttribute('[data-testid="qr"]', 'data-join-link'))!;
    expect(link).toBe(`${server.url}/join/${code}`);
    // The QR code's own pixels decode to the join link.
    const pixels = await instructor.$eval('[data-testid="qr"]', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      return { width: c.width, height: c.height, data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data) };
    });
    expect(decodeQr(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data).toBe(link);
    const instructorLink = await instructor.inputValue('[data-testid="instructor-link"]');
    expect(instructorLink).toMatch(/\/instructor#token=/);
    // The instructor link opened on a projector (a fresh browser at 1920x1080) gets the console and its control.
    const projector = await open({ width: 1920, height: 1080 });
    await projector.goto(instructorLink);
    await projector.waitForSelector(`[data-testid="join-code"]:text("${code}")`);
    const room = await projector.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      codePx: parseFloat(getComputedStyle(document.querySelector('[data-testid="join-code"]')!).fontSize),
    }));
    expect(room.overflow).toBeLessThanOrEqual(0);
    expect(room.codePx).toBeGreaterThanOrEqual(40);

    const [olena, petro, iryna] = await Promise.all([open({ width: 390, height: 844 }), open({ width: 390, height: 844 }), open({ width: 390, height: 844 })]);
    await joinAs(olena!, link, 'Olena', 'UA-32');
    await joinAs(petro!, link, 'Petro', 'UA-32');
    await joinAs(iryna!, link, 'Iryna', 'UA-46');
    // Waiting says the drill has not alerted the region: never "All clear" before an alert.
    expect(await olena!.textContent('[data-testid="trainee-screen"]')).toMatch(/has not alerted Kyiv oblast yet/);
    await instructor.waitForSelector('[data-testid="count-joined"]:text("3")');

    // The night's alert in Kyiv oblast reaches its two trainees, and only them (played from the projector's console).
    await projector.click('[data-action="play"]');
    await olena!.waitForSelector('[data-testid="trainee-screen"][data-state="alerted"]');
    await petro!.waitForSelector('[data-testid="trainee-screen"][data-state="alerted"]');
    await instructor.click('[data-action="play"]'); // pause: the drill waits for the answers
    expect(await state(iryna!)).toBe('waiting');
    expect(await olena!.title()).toMatch(/AIR-RAID ALERT/);
    const alarmed = await olena!.evaluate(() => ({ vibrations: (window as unknown as { vibrations: unknown[] }).vibrations.length, tones: (window as unknown as { tones: number }).tones, alarm: document.documentElement.classList.contains('alarm') }));
    expect(alarmed).toEqual({ vibrations: expect.any(Number), tones: expect.any(Number), alarm: true });
    expect(alarmed.vibrations).toBeGreaterThan(0);
    expect(alarmed.tones).toBeGreaterThan(0);
    await olena!.screenshot({ path: `${ARTIFACTS}/drill-trainee-alarm.png` });

    // Olena answers; the roster shows it.
    await olena!.click('[data-action="shelter"]');
    await olena!.waitForSelector('[data-testid="answered"]');
    const olenaSays = (await olena!.textContent('[data-testid="answered"]'))!;
    await instructor.waitForSelector('[data-testid="roster"] tr[data-state="sheltered"]');
    expect(await rosterState(instructor, 'Olena')).toBe('sheltered');
    expect(await rosterState(instructor, 'Petro')).toBe('alerted');

    // A reload brings Petro back as himself, still under alert.
    await petro!.reload();
    await petro!.waitForSelector('[data-testid="trainee-screen"][data-state="alerted"]');

    // An inject raises an alert in Iryna's region at once; she answers.
    await instructor.selectOption('[data-testid="inject-Region"]', 'UA-46');
    await instructor.click('[data-action="raise"]');
    await iryna!.waitForSelector('[data-testid="trainee-screen"][data-state="alerted"]');
    await iryna!.click('[data-action="shelter"]');
    await iryna!.waitForSelector('[data-testid="answered"]');
    const irynaSays = (await iryna!.textContent('[data-testid="answered"]'))!;

    // The all-clear in Kyiv oblast: Olena waits again, Petro, who pressed nothing, missed it.
    await instructor.selectOption('[data-testid="inject-Region"]', 'UA-32');
    await instructor.click('[data-action="lift"]');
    await olena!.waitForSelector('[data-testid="trainee-screen"][data-state="waiting"]');
    expect(await olena!.textContent('[data-testid="trainee-screen"]')).toMatch(/All clear in Kyiv oblast/);
    await petro!.waitForSelector('[data-testid="trainee-screen"][data-state="missed"]');
    await instructor.waitForSelector('[data-testid="count-missed"]:text("1")');
    // Trainees never see one another's names.
    for (const [page, others] of [[olena!, ['Petro', 'Iryna']], [petro!, ['Olena', 'Iryna']]] as const) {
      const text = (await page.textContent('body'))!;
      for (const other of others) expect(text).not.toContain(other);
    }

    await instructor.click('[data-action="report"]');
    await instructor.waitForSelector('[data-testid="report"]');
    const reported = async (name: string) => (await instructor.locator('[data-testid="report"] tr', { hasText: name }).locator('[data-testid="response-s"]').textContent())!;
    expect(olenaSays).toContain(`answered in ${await reported('Olena')} s`);
    expect(irynaSays).toContain(`answered in ${await reported('Iryna')} s`);
    expect(await reported('Petro')).toBe('missed');
    await instructor.screenshot({ path: `${ARTIFACTS}/drill-console.png` });
    expect(errors).toEqual([]);
  }, 120_000);
});
