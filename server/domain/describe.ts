/**
 * Default wording for events whose author gave no `text`: short, factual, in the three languages
 * the simulator speaks. Authored text always wins; this only keeps compiled and injected events
 * readable in the feed.
 */
import type { LocalizedText, ScenarioEvent, ThreatKind } from './events.ts';
import { regionByCode } from './regions/index.ts';

type Lang = 'en' | 'uk' | 'pl';
type Words = Record<Lang, string>;

export const THREAT_WORDS: Record<ThreatKind, Words> = {
  drone: { en: 'attack drones', uk: 'ударні БпЛА', pl: 'drony uderzeniowe' },
  cruise_missile: { en: 'cruise missiles', uk: 'крилаті ракети', pl: 'pociski manewrujące' },
  ballistic_missile: { en: 'ballistic missiles', uk: 'балістичні ракети', pl: 'pociski balistyczne' },
  aeroballistic_missile: { en: 'aeroballistic missiles', uk: 'аеробалістичні ракети', pl: 'pociski aerobalistyczne' },
  guided_bomb: { en: 'guided bombs', uk: 'керовані авіабомби', pl: 'bomby kierowane' },
  aircraft: { en: 'missile carriers airborne', uk: 'зліт носіїв ракет', pl: 'nosiciele rakiet w powietrzu' },
  unspecified: { en: 'reason not stated', uk: 'причину не вказано', pl: 'przyczyny nie podano' },
};

const COUNTRY_WORDS: Record<'UA' | 'PL', Words> = {
  UA: { en: 'Ukraine', uk: 'Україна', pl: 'Ukraina' },
  PL: { en: 'Poland', uk: 'Польща', pl: 'Polska' },
};

const LANGS: readonly Lang[] = ['en', 'uk', 'pl'];

/**
 * Weapon and aircraft names as each language writes them: Ukrainian in Cyrillic, Polish with its
 * own transliteration of the Russian designations (Ch-101, Kinżał).
 */
const MODEL_NAMES: Readonly<Record<string, Words>> = {
  'Shahed/Gerbera': { en: 'Shahed/Gerbera', uk: '«Шахед»/«Гербера»', pl: 'Shahed/Gerbera' },
  'Kh-101': { en: 'Kh-101', uk: 'Х-101', pl: 'Ch-101' },
  Kalibr: { en: 'Kalibr', uk: '«Калібр»', pl: 'Kalibr' },
  'Iskander-K': { en: 'Iskander-K', uk: '«Іскандер-К»', pl: 'Iskander-K' },
  'Iskander-M/KN-23': { en: 'Iskander-M/KN-23', uk: '«Іскандер-М»/KN-23', pl: 'Iskander-M/KN-23' },
  'Kinzhal (Kh-47M2)': { en: 'Kinzhal (Kh-47M2)', uk: '«Кинджал» (Х-47М2)', pl: 'Kinżał (Ch-47M2)' },
  'MiG-31K': { en: 'MiG-31K', uk: 'МіГ-31К', pl: 'MiG-31K' },
  'Tu-95MS': { en: 'Tu-95MS', uk: 'Ту-95МС', pl: 'Tu-95MS' },
  'Tu-160': { en: 'Tu-160', uk: 'Ту-160', pl: 'Tu-160' },
};

/** A weapon's or an aircraft's name in `lang`, as written in the scenario where the table has none. */
export function modelName(model: string, lang: Lang): string {
  return MODEL_NAMES[model]?.[lang] ?? model;
}

function regionName(code: string | undefined, lang: Lang): string {
  if (code === undefined) return '';
  return regionByCode(code)?.name[lang] ?? code;
}

/** A name in the language asked for, or in English where the scenario gives no other. */
function named(text: LocalizedText, lang: Lang): string {
  return text[lang] ?? text.en;
}

function threats(list: readonly ThreatKind[], lang: Lang): string {
  return list.map((t) => THREAT_WORDS[t][lang]).join(', ');
}

function build(make: (lang: Lang) => string): LocalizedText {
  const [en, uk, pl] = LANGS.map(make) as [string, string, string];
  return { en, uk, pl };
}

/** Text for an event as the feed shows it when the scenario gave none. */
export function describeEvent(e: ScenarioEvent): LocalizedText {
  switch (e.type) {
    case 'alert.start':
      return build((l) =>
        ({ en: 'Air-raid alert: ', uk: 'Повітряна тривога: ', pl: 'Alarm przeciwlotniczy: ' })[l] +
        `${regionName(e.region, l)} (${threats(e.threats, l)})`,
      );
    case 'alert.end':
      return build((l) => ({ en: 'All clear: ', uk: 'Відбій тривоги: ', pl: 'Odwołanie alarmu: ' })[l] + regionName(e.region, l));
    case 'siren.start':
      return build((l) => {
        const head = { en: 'Sirens sounding: ', uk: 'Лунають сирени: ', pl: 'Syreny alarmowe: ' }[l];
        const mistake = e.erroneous ? { en: ' (sounded by mistake)', uk: ' (помилково)', pl: ' (omyłkowo)' }[l] : '';
        return head + regionName(e.region, l) + (e.places ? ` — ${e.places.join(', ')}` : '') + mistake;
      });
    case 'siren.end':
      return build((l) => ({ en: 'Sirens stopped: ', uk: 'Сирени вимкнено: ', pl: 'Syreny ucichły: ' })[l] + regionName(e.region, l));
    case 'launch':
      return build(
        (l) =>
          ({ en: 'Launched: ', uk: 'Запуск: ', pl: 'Wystrzelono: ' })[l] +
          `${e.count} × ${e.model ? modelName(e.model, l) : THREAT_WORDS[e.threat][l]} — ${named(e.from.name, l)}`,
      );
    case 'carrier.takeoff':
      return build((l) => ({ en: 'Airborne: ', uk: 'Зліт: ', pl: 'Start: ' })[l] + `${e.count ? `${e.count} × ` : ''}${modelName(e.aircraft, l)}`);
    case 'carrier.landed':
      return build((l) => ({ en: 'Landed: ', uk: 'Посадка: ', pl: 'Lądowanie: ' })[l] + `${e.count ? `${e.count} × ` : ''}${modelName(e.aircraft, l)}`);
    case 'threat.move':
      return build((l) => {
        if (e.count === 0) return { en: 'Group no longer tracked: ', uk: 'Групу більше не відстежують: ', pl: 'Grupa nie jest już śledzona: ' }[l] + THREAT_WORDS[e.threat][l];
        const towards = e.towards ? ` → ${regionName(e.towards, l)}` : '';
        return `${e.count} × ${THREAT_WORDS[e.threat][l]}${towards}`;
      });
    case 'intercept':
      return build(
        (l) =>
          ({ en: 'Shot down: ', uk: 'Збито: ', pl: 'Zestrzelono: ' })[l] +
          `${e.count} × ${THREAT_WORDS[e.threat][l]}${e.region ? ` — ${regionName(e.region, l)}` : ''}`,
      );
    case 'impact':
      return build((l) => {
        const head = { en: 'Hit: ', uk: 'Влучання: ', pl: 'Trafienie: ' }[l];
        const where = e.region ? `${named(e.place, l)}, ${regionName(e.region, l)}` : named(e.place, l);
        const hurt = e.injured ? { en: `; injured: ${e.injured}`, uk: `; поранені: ${e.injured}`, pl: `; ranni: ${e.injured}` }[l] : '';
        const dead = e.killed ? { en: `; killed: ${e.killed}`, uk: `; загиблі: ${e.killed}`, pl: `; zabici: ${e.killed}` }[l] : '';
        return head + where + hurt + dead;
      });
    case 'airspace.close':
      return build((l) => ({ en: 'Airports closed: ', uk: 'Аеропорти закрито: ', pl: 'Lotniska zamknięte: ' })[l] + e.airports.join(', '));
    case 'airspace.open':
      return build((l) => ({ en: 'Airports reopened: ', uk: 'Аеропорти відкрито: ', pl: 'Lotniska otwarte: ' })[l] + e.airports.join(', '));
    case 'jets.scrambled':
      return build((l) => ({ en: 'Fighter jets scrambled: ', uk: 'Підняли винищувачі: ', pl: 'Poderwano myśliwce: ' })[l] + COUNTRY_WORDS[e.country][l]);
    case 'jets.stood_down':
      return build((l) => ({ en: 'Fighter jets stood down: ', uk: 'Винищувачі повернулися: ', pl: 'Zakończono operowanie lotnictwa: ' })[l] + COUNTRY_WORDS[e.country][l]);
    case 'outage':
      return build((l) => ({ en: 'Power outage: ', uk: 'Знеструмлення: ', pl: 'Przerwa w dostawie prądu: ' })[l] + regionName(e.region, l));
    case 'outage.end':
      return build((l) => ({ en: 'Power restored: ', uk: 'Живлення відновлено: ', pl: 'Przywrócono zasilanie: ' })[l] + regionName(e.region, l));
    case 'statement':
      return build((l) => ({ en: 'Statement: ', uk: 'Заява: ', pl: 'Oświadczenie: ' })[l] + e.org);
    case 'claim':
      return build((l) => ({ en: 'Claim by ', uk: 'Заява сторони ', pl: 'Twierdzenie strony ' })[l] + e.party + (e.count ? `: ${e.count}` : ''));
  }
}
