/**
 * CAP 1.2 messages and their Atom feed as XML, built with xmlbuilder2 (escaping and namespaces
 * are the library's job, never string concatenation). Element order follows the official schema
 * (CAP-v1.2.xsd, whose sequences are strict); times carry a numeric offset because the schema's
 * pattern rejects `Z`. Every message is `status` Exercise: a simulator never issues an actual alert.
 *
 * Ukrainian alerts are in Ukrainian (uk-UA) and English; Polish sirens in Polish (pl-PL) and
 * English, an erroneous activation marked in the headline, a `note`, and a parameter.
 */
import { create } from 'xmlbuilder2';
import { THREAT_WORDS } from '../../domain/describe.ts';
import { requireRegion } from '../../domain/regions/index.ts';
import { capTime, type FeedClock } from '../compat/feed-time.ts';
import { CAP_SENDER, type CapMessage } from './messages.ts';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** While an alert is on, its `expires` stays this far ahead of the feed's present. */
export const ACTIVE_EXPIRY_MS = 60 * 60_000;
/** How long an all-clear stays current. */
const CANCEL_EXPIRY_MS = 60 * 60_000;

type Lang = 'uk' | 'pl' | 'en';
const LANGUAGE: Record<Lang, string> = { uk: 'uk-UA', pl: 'pl-PL', en: 'en-US' };

type XMLBuilder = ReturnType<typeof create>;

const WORDS = {
  alertEvent: { uk: 'Повітряна тривога', pl: 'Alarm powietrzny', en: 'Air raid alert' },
  alertEnd: { uk: 'Відбій повітряної тривоги', pl: 'Odwołanie alarmu powietrznego', en: 'Air raid alert lifted' },
  sirenEvent: { uk: 'Сирени', pl: 'Syreny alarmowe', en: 'Air raid sirens' },
  sirenEnd: { uk: 'Сирени вимкнено', pl: 'Odwołanie alarmu syrenami', en: 'Sirens stood down' },
  erroneous: { uk: 'увімкнено помилково', pl: 'uruchomione omyłkowo', en: 'activated by mistake' },
  threats: { uk: 'Загрози', pl: 'Zagrożenia', en: 'Threats' },
  places: { uk: 'Місця', pl: 'Miejscowości', en: 'Places' },
  shelter: { uk: 'Пройдіть до найближчого укриття.', pl: 'Udaj się do najbliższego schronienia.', en: 'Go to the nearest shelter.' },
  simulated: { uk: 'Навчальне повідомлення симулятора air-raid-sim.', pl: 'Komunikat ćwiczebny symulatora air-raid-sim.', en: 'Exercise message from the air-raid-sim simulator.' },
} satisfies Record<string, Record<Lang, string>>;

export interface CapContext {
  readonly clock: FeedClock;
  /** Absolute URL of a message, for the feed's links. */
  readonly urlOf: (identifier: string) => string;
}

function timeZoneOf(message: CapMessage): string {
  return message.episode.code.startsWith('PL-') ? 'Europe/Warsaw' : 'Europe/Kyiv';
}

/** When the message stops being current, on the feed clock. */
export function expiresMs(message: CapMessage, clock: FeedClock): number {
  const { episode } = message;
  if (message.msgType === 'Cancel') return clock.at(message.atMs) + CANCEL_EXPIRY_MS;
  if (episode.endMs === null) return clock.nowMs + ACTIVE_EXPIRY_MS;
  return clock.at(episode.endMs);
}

function headline(message: CapMessage, lang: Lang): string {
  const region = requireRegion(message.episode.code);
  const siren = message.episode.kind === 'siren';
  const cancel = message.msgType === 'Cancel';
  const what = siren ? (cancel ? WORDS.sirenEnd : WORDS.sirenEvent) : cancel ? WORDS.alertEnd : WORDS.alertEvent;
  const mistake = siren && message.state.erroneous ? ` (${WORDS.erroneous[lang]})` : '';
  return `${what[lang]}: ${region.name[lang]}${mistake}`;
}

function description(message: CapMessage, lang: Lang): string {
  const parts: string[] = [];
  if (message.state.threats.length) parts.push(`${WORDS.threats[lang]}: ${message.state.threats.map((t) => THREAT_WORDS[t][lang]).join(', ')}.`);
  if (message.episode.places.length) parts.push(`${WORDS.places[lang]}: ${message.episode.places.join(', ')}.`);
  if (message.episode.kind === 'siren' && message.state.erroneous) parts.push(`${WORDS.sirenEvent[lang]} ${WORDS.erroneous[lang]}.`);
  parts.push(WORDS.simulated[lang]);
  return parts.join(' ');
}

function info(alert: XMLBuilder, message: CapMessage, lang: Lang, ctx: CapContext): void {
  const zone = timeZoneOf(message);
  const { episode } = message;
  const cancel = message.msgType === 'Cancel';
  const mistake = episode.kind === 'siren' && message.state.erroneous;
  const el = alert.ele('info');
  el.ele('language').txt(LANGUAGE[lang]);
  el.ele('category').txt('Safety');
  el.ele('event').txt((episode.kind === 'siren' ? WORDS.sirenEvent : WORDS.alertEvent)[lang]);
  el.ele('responseType').txt(cancel ? 'AllClear' : 'Shelter');
  el.ele('urgency').txt(cancel ? 'Past' : 'Immediate');
  el.ele('severity').txt(cancel ? 'Minor' : 'Extreme');
  el.ele('certainty').txt(mistake ? 'Unlikely' : 'Observed');
  el.ele('effective').txt(capTime(ctx.clock.at(message.atMs), zone));
  el.ele('onset').txt(capTime(ctx.clock.at(episode.startMs), zone));
  el.ele('expires').txt(capTime(expiresMs(message, ctx.clock), zone));
  el.ele('senderName').txt('air-raid-sim');
  el.ele('headline').txt(headline(message, lang));
  el.ele('description').txt(description(message, lang));
  if (!cancel) el.ele('instruction').txt(WORDS.shelter[lang]);
  if (episode.kind === 'siren') {
    el.ele('parameter').ele('valueName').txt('erroneous').up().ele('value').txt(String(message.state.erroneous));
  }
  const region = requireRegion(episode.code);
  el.ele('area').ele('areaDesc').txt(region.name[lang]).up().ele('geocode').ele('valueName').txt('ISO 3166-2').up().ele('value').txt(region.code);
}

const reference = (m: CapMessage, clock: FeedClock) => `${CAP_SENDER},${m.identifier},${capTime(clock.at(m.atMs), timeZoneOf(m))}`;

function alertElement(parent: XMLBuilder, message: CapMessage, ctx: CapContext): XMLBuilder {
  const alert = parent.ele(CAP_NS, 'alert');
  alert.ele('identifier').txt(message.identifier);
  alert.ele('sender').txt(CAP_SENDER);
  alert.ele('sent').txt(capTime(ctx.clock.at(message.atMs), timeZoneOf(message)));
  alert.ele('status').txt('Exercise');
  alert.ele('msgType').txt(message.msgType);
  alert.ele('source').txt('air-raid-sim replay');
  alert.ele('scope').txt('Public');
  if (message.episode.kind === 'siren' && message.state.erroneous) {
    alert.ele('note').txt('Erroneous activation: the sirens were sounded by mistake, as the authorities later said. / Omyłkowe uruchomienie syren.');
  }
  if (message.references.length) alert.ele('references').txt(message.references.map((m) => reference(m, ctx.clock)).join(' '));
  const langs: Lang[] = message.episode.code.startsWith('PL-') ? ['pl', 'en'] : ['uk', 'en'];
  for (const lang of langs) info(alert, message, lang, ctx);
  return alert;
}

/** One CAP message as a standalone XML document. */
export function capXml(message: CapMessage, ctx: CapContext): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  alertElement(doc, message, ctx);
  return doc.end({ prettyPrint: true });
}

export interface FeedMeta {
  readonly id: string;
  readonly title: string;
  readonly selfUrl: string;
}

/** The Atom feed: one entry per message, newest first, each linking its CAP document. */
export function capAtom(messages: readonly CapMessage[], meta: FeedMeta, ctx: CapContext): string {
  const zone = 'Europe/Kyiv';
  const newest = messages.at(-1);
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele(ATOM_NS, 'feed', { 'xmlns:cap': CAP_NS });
  feed.ele('id').txt(meta.id);
  feed.ele('title').txt(meta.title);
  feed.ele('updated').txt(capTime(newest ? ctx.clock.at(newest.atMs) : ctx.clock.nowMs, zone));
  feed.ele('author').ele('name').txt('air-raid-sim');
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: meta.selfUrl });
  for (const message of [...messages].reverse()) {
    const entryZone = timeZoneOf(message);
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:air-raid-sim:cap:${message.identifier}`);
    entry.ele('title').txt(headline(message, 'en'));
    entry.ele('updated').txt(capTime(ctx.clock.at(message.atMs), entryZone));
    entry.ele('link', { rel: 'alternate', type: 'application/cap+xml', href: ctx.urlOf(message.identifier) });
    entry.ele('summary').txt(description(message, 'en'));
    const cap = (name: string, value: string) => entry.ele(CAP_NS, `cap:${name}`).txt(value);
    cap('event', (message.episode.kind === 'siren' ? WORDS.sirenEvent : WORDS.alertEvent).en);
    cap('status', 'Exercise');
    cap('msgType', message.msgType);
    cap('effective', capTime(ctx.clock.at(message.atMs), entryZone));
    cap('expires', capTime(expiresMs(message, ctx.clock), entryZone));
    cap('areaDesc', requireRegion(message.episode.code).name.en);
  }
  return feed.end({ prettyPrint: true });
}
