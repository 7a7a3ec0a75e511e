/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The watch page as people use it, in a real browser against a real server: state-driven
 * banners, shared moments opened by others, layout at five screen sizes, all three languages,
 * axe-core, and the keyboard. Each test gets fresh browser contexts (their own storage), so a
 * second context is a second person.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Scenario } from '../../server/domain/scenario.ts';
import { REGIONS } from '../../server/domain/regions/index.ts';
import { resolveMoment } from '../../server/domain/time.ts';
import type { RunningServer } from '../../server/server.ts';
import { englishWords } from '../../client/i18n.ts';
import { ARTIFACTS, chromiumPath } from '../helpers/browser.ts';
import { api, createSession, startTestServer } from '../helpers/server.ts';

let server: RunningServer;
let browser: Browser;
let seed: Scenario;
const errors: string[] = [];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  seed = (await api<Scenario>(server, '/api/scenarios/2025-12-06-barrage')).body;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A person: a fresh context with its own storage, its language and followed region set. */
async function person(options: { lang?: string; follow?: string; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, reducedMotion: 'reduce', bypassCSP: true });
  await context.addInitScript(([lang, follow]) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('air-raid-sim.lang', lang ?? 'en');
      if (follow) localStorage.setItem('air-raid-sim.follow', follow);
    }
  }, [options.lang, options.follow] as const);
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return { context, page };
}

async function openOwn(page: Page, positionMs = 0): Promise<string> {
  const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false, positionMs });
  await page.goto(`${server.url}/s/${s.id}#token=${s.instructorToken}`);
  await page.waitForSelector('[data-region="UA-46"]');
  await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, positionMs);
  return s.id;
}

const position = (page: Page) => page.$eval('[data-testid="clock"]', (e) => Number(e.getAttribute('data-position-ms')));
const atPosition = (page: Page, ms: number) => page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) === p, ms, { timeout: 10_000 });

async function seek(page: Page, ms: number): Promise<void> {
  await page.locator('[data-testid="scrubber"]').fill(String(ms));
  await atPosition(page, ms);
}

const first = <T extends Scenario['events'][number]['type']>(type: T, region: string) => seed.events.find((e) => e.type === type && 'region' in e && e.region === region)!;

describe('the banner follows the region\'s state', () => {
  it('following Lviv and seeking into its alert shows the banner at once, and after a reload; leaving the alert clears it', async () => {
    const start = first('alert.start', 'UA-46');
    const end = seed.events.find((e) => e.type === 'alert.end' && e.region === 'UA-46' && e.atMs > start.atMs)!;
    const { context, page } = await person({ follow: 'UA-46' });
    await openOwn(page);
    // The clock reads 0 before the first snapshot has come too: wait for the state, not the clock.
    await page.waitForSelector('[data-testid="alert-banner"][data-state="calm"]', { timeout: 5000 });
    const inside = Math.round((start.atMs + end.atMs) / 2 / 60_000) * 60_000;
    await seek(page, inside);
    await page.waitForSelector('[data-testid="alert-banner"][data-state="alert"]', { timeout: 5000 });
    const since = resolveMoment('00:00', seed.startMs, 'Europe/Kyiv');
    expect(since).toBeDefined();
    const text = await page.textContent('[data-testid="alert-banner"]');
    expect(text).toContain('Lviv');
    expect(text).toContain(`since ${new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(seed.startMs + start.atMs)}`);
    expect(text).toMatch(/Replay of 6 December 2025, \d\d:\d\d/);
    expect(await page.textContent('[data-testid="announcer"]')).toContain('Lviv');
    await page.reload();
    await page.waitForSelector('[data-testid="alert-banner"][data-state="alert"]', { timeout: 5000 });
    await seek(page, end.atMs + 60_000);
    await page.waitForSelector('[data-testid="alert-banner"][data-state="calm"]', { timeout: 5000 });
    // Choosing the region while it is under alert shows the banner too.
    await seek(page, inside);
    await page.selectOption('[data-testid="follow"]', '');
    await page.waitForSelector('[data-testid="alert-banner"][data-state="none"]');
    await page.selectOption('[data-testid="follow"]', 'UA-46');
    await page.waitForSelector('[data-testid="alert-banner"][data-state="alert"]');
    await context.close();
  });

  it('following Lubelskie shows a banner while its sirens sound', async () => {
    const on = first('siren.start', 'PL-06');
    const off = seed.events.find((e) => e.type === 'siren.end' && e.region === 'PL-06' && e.atMs > on.atMs)!;
    const { context, page } = await person({ follow: 'PL-06' });
    await openOwn(page, on.atMs - 120_000);
    expect(await page.getAttribute('[data-testid="alert-banner"]', 'data-state')).not.toBe('siren');
    await seek(page, Math.round((on.atMs + off.atMs) / 2000) * 1000);
    await page.waitForSelector('[data-testid="alert-banner"][data-state="siren"]', { timeout: 5000 });
    expect(await page.textContent('[data-testid="alert-banner"]')).toContain('Lublin');
    // "Next alert in my region" from before it lands on the sirens; the time field refuses what is not a moment.
    await seek(page, on.atMs - 120_000);
    await page.click('[data-action="next-alert"]');
    await atPosition(page, seed.events.find((e) => (e.type === 'alert.start' || e.type === 'siren.start') && e.region === 'PL-06' && e.atMs > on.atMs - 120_000)!.atMs);
    await page.fill('[data-testid="moment"]', '99:99');
    await page.press('[data-testid="moment"]', 'Enter');
    expect(await page.textContent('.timeline-message')).toContain('"99:99" is not a moment of this night');
    await context.close();
  });

  it('the feed: group positions on the map only, reconstruction notes on demand, every source listed, filters over the whole night', async () => {
    const { context, page } = await person();
    await openOwn(page, resolveMoment('02:00', seed.startMs, 'Europe/Kyiv')!);
    await page.waitForSelector('[data-testid="feed"] li');
    expect(await page.$$eval('[data-testid="feed"] li[data-type="threat.move"]', (els) => els.length)).toBe(0);
    await page.check('[data-testid="show-groups"]');
    expect(await page.$$eval('[data-testid="feed"] li[data-type="threat.move"]', (els) => els.length)).toBeGreaterThan(0);
    await page.uncheck('[data-testid="show-groups"]');
    const noted = page.locator('[data-testid="feed"] details.reconstructed').last();
    expect(await noted.locator('.note').isVisible()).toBe(false);
    await noted.locator('summary').click();
    expect((await noted.locator('.note').textContent())!.length).toBeGreaterThan(10);
    await page.click('[data-testid="sources"] summary');
    expect(await page.$$eval('[data-testid="sources"] li', (els) => els.length)).toBe(seed.sources.length);
    // A filter lists what is still to come; a match jumps there.
    await page.selectOption('[data-testid="type-filter"]', 'siren.start');
    const jump = page.locator('[data-testid="later"] button').first();
    const at = Number(await jump.getAttribute('data-at-ms'));
    expect(at).toBe(seed.events.find((e) => e.type === 'siren.start')!.atMs);
    await jump.click();
    await atPosition(page, at);
    await context.close();
  });
});

describe('shared moments', () => {
  it('a ?t= link from one person opens that moment in a replay the second person controls', async () => {
    const a = await person();
    const sessionA = await openOwn(a.page);
    await a.page.fill('[data-testid="moment"]', '06:35');
    await a.page.press('[data-testid="moment"]', 'Enter');
    const expected = resolveMoment('06:35', seed.startMs, 'Europe/Kyiv')!;
    await atPosition(a.page, expected);
    const link = await a.page.getAttribute('[data-testid="share"]', 'href');
    expect(link).toContain('t=06%3A35');

    const b = await person();
    await b.page.goto(`${server.url}${link}`);
    await b.page.waitForSelector('[data-region="UA-46"]');
    await atPosition(b.page, expected);
    expect(new URL(b.page.url()).pathname).not.toBe(`/s/${sessionA}`);
    expect(await b.page.isEnabled('[data-action="play"]')).toBe(true);
    expect(await b.page.textContent('[data-testid="notice"]')).toContain('Your own replay');
    // B moves its replay; A's stays where it was.
    await b.page.fill('[data-testid="moment"]', '06:50');
    await b.page.press('[data-testid="moment"]', 'Enter');
    await atPosition(b.page, resolveMoment('06:50', seed.startMs, 'Europe/Kyiv')!);
    expect(await position(a.page)).toBe(expected);

    // Warsaw time, and a session that no longer exists: the link still names the night.
    await b.page.goto(`${server.url}/s/gone-long-ago?t=05:35W&n=2025-12-06-barrage`);
    await b.page.waitForSelector('[data-region="UA-46"]');
    await atPosition(b.page, resolveMoment('05:35', seed.startMs, 'Europe/Warsaw')!);

    // An unreadable moment is reported; the plain link follows A live and says so.
    await b.page.goto(`${server.url}/s/${sessionA}?t=25:99`);
    await b.page.waitForSelector('[data-testid="notice"].error');
    expect(await b.page.textContent('[data-testid="notice"]')).toContain('25:99');
    await b.page.goto(`${server.url}/s/${sessionA}`);
    await b.page.waitForSelector('[data-action="own-replay"]');
    expect(await b.page.textContent('[data-testid="notice"]')).toMatch(/following .*replay live/);
    expect(await b.page.isDisabled('[data-action="play"]')).toBe(true);
    await a.context.close();
    await b.context.close();
  });
});

/** Elements of `selector` whose centre, once scrolled into view, another element covers. */
async function covered(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => {
    const out: string[] = [];
    for (const el of els as HTMLElement[]) {
      if (!el.checkVisibility()) continue;
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const x = Math.min(innerWidth - 1, Math.max(0, r.left + r.width / 2));
      const y = Math.min(innerHeight - 1, Math.max(0, r.top + Math.min(r.height / 2, 10)));
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) out.push(`${el.tagName}.${el.className} "${(el.textContent ?? '').slice(0, 30)}" under ${hit.tagName}.${(hit as HTMLElement).className}`);
      if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1) out.push(`${el.tagName}.${el.className} outside the viewport`);
    }
    return out;
  });
}

describe('layout', () => {
  it("at five sizes (and the smallest in Ukrainian and Polish) nothing is covered; map labels stay inside the map and apart", async () => {
    const sizes = [[320, 568, 'en'], [390, 844, 'en'], [1280, 720, 'en'], [1440, 900, 'en'], [1920, 1080, 'en'], [320, 568, 'uk'], [320, 568, 'pl'], [1280, 800, 'uk']] as const;
    for (const [width, height, lang] of sizes) {
      const { context, page } = await person({ viewport: { width, height }, follow: 'UA-46', lang });
      await openOwn(page, resolveMoment('05:20', seed.startMs, 'Europe/Kyiv')!);
      await page.waitForSelector('[data-testid="feed"] li');
      await page.waitForSelector('[data-testid="counters"] dd');
      const where = `${width}x${height}-${lang}`;
      // The map is on screen without scrolling on every size.
      const map = await page.$eval('svg.map', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
      expect(map.top, where).toBeGreaterThanOrEqual(0);
      expect(map.height, where).toBeGreaterThan(120);
      expect(await covered(page, '[data-testid="counters"] > div'), where).toEqual([]);
      expect(await covered(page, '.top button, .top select, .top summary, .timeline button:not(.marker), .timeline select, .timeline input, .timeline summary, .filters select'), where).toEqual([]);
      expect(await covered(page, '[data-testid="feed"] li:nth-last-child(-n+25)'), where).toEqual([]);
      const labels = await page.$$eval('.place-label:not([visibility="hidden"])', (els) => {
        const map = document.querySelector('svg.map')!.getBoundingClientRect();
        const boxes = els.map((e) => e.getBoundingClientRect());
        const outside = boxes.filter((b) => b.left < map.left - 0.5 || b.right > map.right + 0.5 || b.top < map.top - 0.5 || b.bottom > map.bottom + 0.5).length;
        let overlapping = 0;
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? overlapping++ : 0)));
        return { count: boxes.length, outside, overlapping, names: els.map((e) => e.textContent) };
      });
      expect(labels.outside, where).toBe(0);
      expect(labels.overlapping, where).toBe(0);
      expect(labels.count, where).toBeGreaterThan(3);
      expect(new Set(labels.names).size, where).toBe(labels.names.length);
      await page.screenshot({ path: `${ARTIFACTS}/layout-${where}.png` });
      await context.close();
    }
  });
});

/** English strings of the page's own, region names in English, that a page in `lang` must not show. */
function englishFor(): string[] {
  const words = [...englishWords(), ...REGIONS.map((r) => r.name.en)];
  return [...new Set(words)].filter((w) => w.length >= 3);
}

async function englishLeft(page: Page, english: string[]): Promise<string[]> {
  return page.evaluate((english) => {
    const lang = document.documentElement.lang;
    const foreign = (el: Element | null) => {
      const tagged = el?.closest('[lang]');
      return tagged !== null && tagged !== undefined && tagged.getAttribute('lang') !== lang;
    };
    const found: string[] = [];
    const check = (text: string, where: string) => {
      const value = text.trim();
      if (!value) return;
      for (const e of english) if (value === e || (e.length >= 6 && new RegExp(`(^|[^\\p{L}])${e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(value))) found.push(`${where}: "${value}" has "${e}"`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      // Event texts come from the scenario in its own translations; the page's words are checked here.
      if (el.closest('.feed .text, .later .text, .sources, svg title') || foreign(el)) continue;
      if (el.closest('option, svg') || (el as HTMLElement).checkVisibility?.()) check(n.textContent ?? '', el.tagName);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext]')) {
      if (foreign(el) || el.closest('.feed .text, .sources')) continue;
      for (const attr of ['aria-label', 'title', 'aria-valuetext']) if (el.hasAttribute(attr)) check(el.getAttribute(attr)!, `${el.tagName}[${attr}]`);
    }
    return found;
  }, english);
}

describe('three languages', () => {
  it('after switching to Ukrainian and to Polish no text or accessible name is English; title and lang follow', async () => {
    const { context, page } = await person({ follow: 'UA-46' });
    const start = first('alert.start', 'UA-46');
    await openOwn(page, start.atMs + 10 * 60_000);
    await page.focus('[data-region="UA-46"]');
    const english = englishFor();
    expect(await englishLeft(page, ['Region I follow'])).not.toEqual([]);
    for (const [lang, word] of [['uk', 'Повітряна тривога'], ['pl', 'Alarm przeciwlotniczy']] as const) {
      await page.selectOption('[data-testid="language"]', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await page.waitForFunction((w) => document.querySelector('[data-testid="alert-banner"]')?.textContent?.includes(w), word);
      await page.focus('[data-region="UA-46"]');
      expect(await englishLeft(page, english), lang).toEqual([]);
      expect(await page.title()).toContain(lang === 'uk' ? 'Симулятор' : 'Symulator');
      expect(await page.$$eval('[data-testid="type-filter"] option', (els) => els.map((e) => e.textContent))).not.toContain('alert.start');
    }
    await context.close();
  });

  it('the landing page switches language, with plurals by Intl.PluralRules', async () => {
    const { context, page } = await person({ lang: 'en' });
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="content-note"]');
    await page.selectOption('[data-testid="language"]', 'uk');
    await page.waitForFunction(() => document.documentElement.lang === 'uk');
    const meta = await page.textContent('[data-scenario="2025-12-06-barrage"] .meta');
    expect(meta).toContain('88 джерел');
    await page.selectOption('[data-testid="language"]', 'pl');
    expect(await page.textContent('[data-scenario="2025-12-06-barrage"] .meta')).toContain('88 źródeł');
    expect(await page.title()).toBe('Symulator alarmów przeciwlotniczych');
    expect(await englishLeft(page, englishFor())).toEqual([]);
    await context.close();
  });
});

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target) + ((n as { failureSummary?: string }).failureSummary ?? '').slice(0, 200)).slice(0, 3).join(', ')}`);
  });
}

describe('accessibility and the keyboard', () => {
  it('axe-core finds no violations on the landing page, the watch page mid-night and the trainee page', async () => {
    const { context, page } = await person({ follow: 'UA-46' });
    await page.goto(server.url);
    await page.waitForSelector('[data-scenario]');
    expect(await axe(page), 'landing').toEqual([]);
    await openOwn(page, resolveMoment('05:20', seed.startMs, 'Europe/Kyiv')!);
    await page.waitForSelector('[data-testid="feed"] li');
    expect(await axe(page), 'watch').toEqual([]);
    const drill = await createSession(server, { scenarioId: '2025-12-06-barrage', kind: 'drill', autoplay: false });
    await page.goto(`${server.url}/join/${drill.joinCode}`);
    await page.fill('input[name="name"]', 'Olena');
    await page.selectOption('select[name="region"]', 'UA-46');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="trainee-screen"][data-state]');
    expect(await axe(page), 'trainee').toEqual([]);
    await context.close();
  });

  it('the map is one tab stop with arrow keys between regions; markers are buttons that jump to their moment', async () => {
    const { context, page } = await person();
    await openOwn(page);
    expect(await page.$$eval('[data-region][tabindex="0"]', (els) => els.length)).toBe(1);
    const active = () => page.evaluate(() => {
      const el = document.activeElement;
      return { region: el?.getAttribute('data-region') ?? null, marker: el?.classList.contains('marker') ?? false, action: el?.getAttribute('data-action') ?? null };
    });
    // Tab through the page: the map is passed in one stop, Play is reached in few.
    const seen: Array<Awaited<ReturnType<typeof active>>> = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      seen.push(await active());
      if (seen.at(-1)!.action === 'play') break;
    }
    expect(seen.filter((s) => s.region).length).toBe(1);
    expect(seen.findIndex((s) => s.action === 'play')).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(30);
    const mapStop = seen.find((s) => s.region)!.region!;
    await page.focus(`[data-region="${mapStop}"]`);
    await page.keyboard.press('ArrowRight');
    const moved = await active();
    expect(moved.region).not.toBeNull();
    expect(moved.region).not.toBe(mapStop);
    expect(await page.$$eval('[data-region][tabindex="0"]', (els) => els.map((e) => e.getAttribute('data-region')))).toEqual([moved.region]);
    // The markers: focusable, named in the page's language, Enter jumps.
    const markers = seen.filter((s) => s.marker).length;
    expect(markers).toBeGreaterThan(3);
    const target = await page.$eval('.marker.alert', (e) => ({ at: Number(e.getAttribute('data-at-ms')), label: e.getAttribute('aria-label') }));
    expect(target.label).toMatch(/first alert/);
    await page.focus('.marker.alert');
    await page.keyboard.press('Enter');
    await atPosition(page, target.at);
    // Slider keys: a minute, fifteen minutes, an hour; it announces the Kyiv time.
    await page.focus('[data-testid="scrubber"]');
    const base = await position(page);
    const snapped = Math.round(base / 60_000) * 60_000;
    await page.keyboard.press('ArrowRight');
    await atPosition(page, snapped + 60_000);
    await page.keyboard.press('PageUp');
    await atPosition(page, snapped + 16 * 60_000);
    await page.keyboard.press('Shift+ArrowRight');
    await atPosition(page, snapped + 76 * 60_000);
    expect(await page.getAttribute('[data-testid="scrubber"]', 'aria-valuetext')).toMatch(/^Kyiv \d\d:\d\d, \d+ December 2025$/);
    // Space on a focused button presses it rather than toggling play.
    await page.focus('[data-action="step-forward"]');
    const before = await position(page);
    await page.keyboard.press(' ');
    await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > p, before);
    expect(await page.isVisible('[data-action="play"]')).toBe(true);
    await context.close();
  });

  it('live regions stay quiet while the night plays with a region focused and none followed', async () => {
    const { context, page } = await person();
    await openOwn(page, resolveMoment('04:00', seed.startMs, 'Europe/Kyiv')!);
    await page.evaluate(() => {
      const w = window as unknown as { announced: number };
      w.announced = 0;
      const observer = new MutationObserver((m) => (w.announced += m.length));
      for (const el of document.querySelectorAll('[aria-live], [role="status"], [role="alert"]')) observer.observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.focus('[data-region="UA-46"]');
    await page.selectOption('[data-testid="speed"]', '600');
    await page.focus('[data-region="UA-46"]');
    await page.keyboard.press('End');
    await page.click('[data-action="play"]');
    const from = await position(page);
    await page.waitForFunction((p) => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-position-ms')) > p + 600_000, from);
    expect(await page.evaluate(() => (window as unknown as { announced: number }).announced)).toBe(0);
    await context.close();
  });

  it('writes no errors to the browser console', () => {
    expect(errors).toEqual([]);
  });
});
