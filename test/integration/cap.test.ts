/**
 * CAP 1.2 as its consumers read it: every message of the seed night validated offline against
 * the official OASIS schema (xmllint compiled to WebAssembly), and the Atom feed read by a
 * standard feed parser that finds each entry's CAP document by its link type.
 */
import { readFileSync } from 'node:fs';
import { parseFeed } from '@rowanmanning/feed-parser';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { api, startTestServer } from '../helpers/server.ts';
import { firstAlert, pausedSeed, SEED } from './compat/helpers.ts';

const XSD = readFileSync(new URL('../fixtures/CAP-v1.2.xsd', import.meta.url), 'utf8');
const CAP_TYPE = 'application/cap+xml';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Entry {
  readonly title: string;
  readonly href: string;
  readonly msgType: string;
  readonly expires: string;
}

async function readFeed(sessionId: string): Promise<Entry[]> {
  const { status, body, headers } = await api<string>(server, `/api/sessions/${sessionId}/cap.atom`);
  expect(status).toBe(200);
  expect(headers.get('content-type')).toMatch(/^application\/atom\+xml/);
  const feed = parseFeed(body);
  expect(feed.title).toContain('CAP');
  return feed.items.map((item) => {
    const link = item.element.findElementsWithName('link').find((l) => l.getAttribute('type') === CAP_TYPE);
    const capField = (name: string) => item.element.findElementsWithName(name.toLowerCase())[0]?.textContent ?? '';
    return { title: item.title ?? '', href: link?.getAttribute('href') ?? '', msgType: capField('msgType'), expires: capField('expires') };
  });
}

// Links are relative unless the server has a PUBLIC_URL: a reader resolves them against the feed's own URL.
const fetchText = async (url: string) => {
  const response = await fetch(new URL(url, server.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
  return response.text();
};
const field = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

describe('CAP 1.2', () => {
  it('every message of the seed night is valid against the official schema, and the feed links each one', async () => {
    const { body: scenario } = await api<{ durationMs: number }>(server, `/api/scenarios/${SEED}`);
    const session = await pausedSeed(server, scenario.durationMs);
    const entries = await readFeed(session.id);
    const { body: events } = await api<{ events: Array<{ type: string }> }>(server, `/api/scenarios/${SEED}`);
    const alertStarts = events.events.filter((e) => e.type === 'alert.end').length;
    // An Alert and a Cancel for every alert of the night at least, and the Polish sirens' two.
    expect(entries.filter((e) => e.msgType === 'Cancel').length).toBeGreaterThanOrEqual(alertStarts);
    expect(entries.every((e) => e.href.startsWith('/api/sessions/'))).toBe(true);

    const documents = await Promise.all(entries.map((e) => fetchText(e.href)));
    const result = await validateXML({ xml: documents.map((contents, i) => ({ fileName: `m${i}.xml`, contents })), schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }] });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);

    // Cancels and updates name earlier messages that exist, by sender,identifier,sent.
    const byIdentifier = new Map(documents.map((d) => [field(d, 'identifier')[0]!, d]));
    for (const doc of documents.filter((d) => field(d, 'msgType')[0] !== 'Alert')) {
      const refs = field(doc, 'references')[0]!.split(' ');
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        const [sender, identifier, sent] = ref.split(',');
        const earlier = byIdentifier.get(identifier!);
        expect(earlier, ref).toBeDefined();
        expect(field(earlier!, 'sender')[0]).toBe(sender);
        expect(field(earlier!, 'sent')[0]).toBe(sent);
      }
    }
  });

  it('shows the Polish sirens in Polish, with the erroneous activation marked', async () => {
    const { body } = await api<{ events: Array<{ type: string; atMs: number; region?: string; erroneous?: boolean }> }>(server, `/api/scenarios/${SEED}`);
    const siren = body.events.find((e) => e.type === 'siren.start' && e.erroneous)!;
    const session = await pausedSeed(server, siren.atMs + 1000);
    const entry = (await readFeed(session.id)).find((e) => e.href.includes(`.${siren.region}.`))!;
    const doc = await fetchText(entry.href);
    expect(field(doc, 'language')).toContain('pl-PL');
    expect(field(doc, 'headline').join(' ')).toContain('omyłkowo');
    expect(doc).toMatch(/<valueName>erroneous<\/valueName>\s*<value>true<\/value>/);
    expect(field(doc, 'note')[0]).toMatch(/Erroneous activation/);
  });

  it('keeps expires in the future while the alert is on, and cancels it when it ends', async () => {
    const kyiv = await firstAlert(server, 'UA-32');
    const session = await pausedSeed(server, kyiv.startMs + 30 * 60_000);
    const on = (await readFeed(session.id)).find((e) => e.href.includes('.UA-32.') && e.msgType === 'Alert')!;
    expect(Date.parse(on.expires)).toBeGreaterThan(Date.now());
    const alertDoc = await fetchText(on.href);
    expect(field(alertDoc, 'status')[0]).toBe('Exercise');
    expect(field(alertDoc, 'sent')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    // The alert began 30 minutes before the replay's present.
    expect((Date.now() - Date.parse(field(alertDoc, 'sent')[0]!)) / 60_000).toBeCloseTo(30, 0);

    await session.seek(kyiv.endMs);
    const entries = await readFeed(session.id);
    const cancel = entries.find((e) => e.href.includes('.UA-32.') && e.msgType === 'Cancel')!;
    expect(cancel).toBeDefined();
    const cancelDoc = await fetchText(cancel.href);
    expect(field(cancelDoc, 'references')[0]).toContain(field(alertDoc, 'identifier')[0]);
    expect(field(cancelDoc, 'responseType')).toContain('AllClear');
    const ended = entries.find((e) => e.href === on.href)!;
    expect(Date.parse(ended.expires)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('answers an unknown message or session with the typed error', async () => {
    const session = await pausedSeed(server, 0);
    const missing = await api(server, `/api/sessions/${session.id}/cap/nothing.xml`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await api(server, '/api/sessions/nope/cap.atom')).body).toMatchObject({ error: { code: 'session_not_found' } });
  });
});
