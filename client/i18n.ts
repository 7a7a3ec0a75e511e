/**
 * The page's own words in the three languages it speaks, and the chosen language (remembered).
 * Every string a person reads or hears on the page comes from here (scenario texts come with
 * their own translations), so a language switch can re-render all of it. Counts go through
 * Intl.PluralRules: Ukrainian and Polish have three forms ("3 джерела", "5 джерел").
 */
import type { LocalizedText } from '../server/domain/events.ts';
import { EVENT_TYPE_NAMES, PLURALS, WORDS } from './words.ts';

export const LANGS = ['uk', 'en', 'pl'] as const;
export type Lang = (typeof LANGS)[number];

/** The locale for dates and numbers in each language. */
export const LOCALES: Readonly<Record<Lang, string>> = { uk: 'uk-UA', en: 'en-GB', pl: 'pl-PL' };

/** Each language's name in itself, for the language switch. */
export const LANG_NAMES: Record<Lang, string> = { uk: 'Українська', en: 'English', pl: 'Polski' };

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

/** An event's note, which may be plain text or localized: one place to read both. */
export function noteText(note: string | LocalizedText | undefined, lang: Lang): string | undefined {
  if (note === undefined) return undefined;
  return typeof note === 'string' ? note : pick(note, lang);
}

export type WordKey = keyof typeof WORDS;

/** A word or sentence; `{name}` placeholders are filled from `vars`. */
export function t(key: WordKey, lang: Lang, vars: Record<string, string | number> = {}): string {
  const text: string = WORDS[key][lang];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type PluralKey = keyof typeof PLURALS;
const rules = new Map<Lang, Intl.PluralRules>();

/** "3 джерела", "5 źródeł", "1 source": the count with the form its language asks for. */
export function plural(key: PluralKey, count: number, lang: Lang): string {
  let rule = rules.get(lang);
  if (!rule) rules.set(lang, (rule = new Intl.PluralRules(lang)));
  const forms = PLURALS[key][lang] as Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  return `${count.toLocaleString(lang)} ${forms[rule.select(count)] ?? forms.other}`;
}

/** Every English string of the page's own, for tests that check nothing stays English. */
export function englishWords(): string[] {
  return [...Object.values(WORDS).map((w) => w.en), ...Object.values(EVENT_TYPE_NAMES).map((w) => w.en), ...Object.values(PLURALS).flatMap((p) => Object.values(p.en))];
}

/** An event type as people name it ("Alert starts"), never its id. */
export function typeName(type: string, lang: Lang): string {
  const names = EVENT_TYPE_NAMES as Record<string, Record<Lang, string>>;
  return names[type]?.[lang] ?? type;
}
