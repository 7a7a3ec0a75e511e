/** The page's own words in the three languages it speaks, and the chosen language (remembered). */
import type { LocalizedText } from '../server/domain/events.ts';

export const LANGS = ['uk', 'en', 'pl'] as const;
export type Lang = (typeof LANGS)[number];

/** The locale for dates and numbers in each language. */
export const LOCALES: Readonly<Record<Lang, string>> = { uk: 'uk-UA', en: 'en-GB', pl: 'pl-PL' };

const STORAGE_KEY = 'air-raid-sim.lang';

export function currentLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  const browser = navigator.language.slice(0, 2);
  return (LANGS as readonly string[]).includes(browser) ? (browser as Lang) : 'en';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export function pick(text: LocalizedText, lang: Lang): string {
  return text[lang] ?? text.en;
}

const WORDS = {
  title: { en: 'Air-raid alert simulator', uk: 'Симулятор повітряних тривог', pl: 'Symulator alarmów przeciwlotniczych' },
  intro: {
    en: 'Replays of real nights of attack on Ukraine, region by region, with their sources. What is reported carries its source; what is modelled is marked as reconstructed.',
    uk: 'Відтворення реальних ночей атак на Україну, область за областю, з джерелами. Підтверджене має джерело; змодельоване позначено як реконструкцію.',
    pl: 'Odtworzenia prawdziwych nocy ataków na Ukrainę, obwód po obwodzie, ze źródłami. To, co potwierdzone, ma źródło; to, co modelowane, oznaczono jako rekonstrukcję.',
  },
  watch: { en: 'Watch', uk: 'Дивитися', pl: 'Oglądaj' },
  hostDrill: { en: 'Host a drill', uk: 'Провести навчання', pl: 'Poprowadź ćwiczenie' },
  joinDrill: { en: 'Join a drill', uk: 'Приєднатися до навчання', pl: 'Dołącz do ćwiczenia' },
  joinCode: { en: 'Join code', uk: 'Код', pl: 'Kod' },
  events: { en: 'events', uk: 'подій', pl: 'zdarzeń' },
  sources: { en: 'sources', uk: 'джерел', pl: 'źródeł' },
  length: { en: 'length', uk: 'тривалість', pl: 'długość' },
  play: { en: 'Play', uk: 'Відтворити', pl: 'Odtwórz' },
  pause: { en: 'Pause', uk: 'Пауза', pl: 'Pauza' },
  stepBack: { en: 'Previous event', uk: 'Попередня подія', pl: 'Poprzednie zdarzenie' },
  stepForward: { en: 'Next event', uk: 'Наступна подія', pl: 'Następne zdarzenie' },
  loop: { en: 'Loop', uk: 'Повтор', pl: 'Pętla' },
  speed: { en: 'Speed', uk: 'Швидкість', pl: 'Prędkość' },
  kyiv: { en: 'Kyiv', uk: 'Київ', pl: 'Kijów' },
  warsaw: { en: 'Warsaw', uk: 'Варшава', pl: 'Warszawa' },
  elapsed: { en: 'elapsed', uk: 'минуло', pl: 'upłynęło' },
  feed: { en: 'What happened', uk: 'Що сталося', pl: 'Co się stało' },
  reconstructed: { en: 'reconstructed', uk: 'реконструкція', pl: 'rekonstrukcja' },
  reconstructedHint: { en: 'Timing or detail modelled, not reported', uk: 'Час або деталі змодельовано, а не повідомлено', pl: 'Czas lub szczegóły modelowane, nie podane w źródłach' },
  source: { en: 'reported by', uk: 'повідомляє', pl: 'podaje' },
  derivedFrom: { en: 'derived from', uk: 'на основі', pl: 'na podstawie' },
  allTypes: { en: 'All events', uk: 'Усі події', pl: 'Wszystkie zdarzenia' },
  allRegions: { en: 'All regions', uk: 'Усі регіони', pl: 'Wszystkie regiony' },
  follow: { en: 'Region I follow', uk: 'Моя область', pl: 'Mój region' },
  nobody: { en: '—', uk: '—', pl: '—' },
  sound: { en: 'Siren sound', uk: 'Звук сирени', pl: 'Dźwięk syreny' },
  underAlert: { en: 'Air-raid alert', uk: 'Повітряна тривога', pl: 'Alarm przeciwlotniczy' },
  allClear: { en: 'All clear', uk: 'Відбій тривоги', pl: 'Odwołanie alarmu' },
  reconnecting: { en: 'Connection lost, reconnecting…', uk: 'Зв’язок втрачено, перепідключення…', pl: 'Utracono połączenie, ponowne łączenie…' },
  launched: { en: 'launched', uk: 'запущено', pl: 'wystrzelono' },
  shotDown: { en: 'shot down', uk: 'збито', pl: 'zestrzelono' },
  drones: { en: 'Drones', uk: 'Дрони', pl: 'Drony' },
  missiles: { en: 'Missiles', uk: 'Ракети', pl: 'Pociski' },
  regionsUnderAlert: { en: 'Regions under alert', uk: 'Областей під тривогою', pl: 'Regionów z alarmem' },
  injured: { en: 'Injured', uk: 'Поранені', pl: 'Ranni' },
  killed: { en: 'Killed', uk: 'Загиблі', pl: 'Zabici' },
  hits: { en: 'Hits', uk: 'Влучання', pl: 'Trafienia' },
  shortcuts: { en: 'Keyboard: space play/pause, ← → previous/next event, 1–5 speed, ? this help', uk: 'Клавіші: пробіл — пуск/пауза, ← → — подія назад/вперед, 1–5 — швидкість, ? — ця довідка', pl: 'Klawisze: spacja start/pauza, ← → poprzednie/następne zdarzenie, 1–5 prędkość, ? ta pomoc' },
  credit: { en: 'Boundaries: Made with Natural Earth (public domain)', uk: 'Кордони: Made with Natural Earth (суспільне надбання)', pl: 'Granice: Made with Natural Earth (domena publiczna)' },
  erroneous: { en: 'sounded by mistake', uk: 'помилково', pl: 'omyłkowo' },
  since: { en: 'under alert for', uk: 'тривога триває', pl: 'alarm trwa' },
  underAlertSince: { en: 'under alert since', uk: 'під тривогою з', pl: 'pod alarmem od' },
  back: { en: 'All scenarios', uk: 'Усі сценарії', pl: 'Wszystkie scenariusze' },
  shelter: { en: 'I am in the shelter', uk: 'Я в укритті', pl: 'Jestem w schronie' },
  name: { en: 'Your name', uk: 'Ваше ім’я', pl: 'Twoje imię' },
  join: { en: 'Join', uk: 'Приєднатися', pl: 'Dołącz' },
  notFound: { en: 'This session no longer exists.', uk: 'Цієї сесії вже немає.', pl: 'Ta sesja już nie istnieje.' },
} satisfies Record<string, Record<Lang, string>>;

export type WordKey = keyof typeof WORDS;

export function t(key: WordKey, lang: Lang): string {
  return WORDS[key][lang];
}
