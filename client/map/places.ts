/**
 * Short names, in the three languages, for the places abroad that scenarios name in long
 * English phrases ("Kursk area (typical launch area, not confirmed for this night)"). A map
 * label is a town or area name only; a place with no entry here keeps its point and loses
 * its label, rather than show English inside a Ukrainian or Polish page.
 */
import type { Lang } from '../i18n.ts';

const PLACES: ReadonlyArray<readonly [RegExp, Record<Lang, string>]> = [
  [/Millerovo/i, { en: 'Millerovo', uk: 'Міллерово', pl: 'Millerowo' }],
  [/Chauda/i, { en: 'Chauda', uk: 'Чауда', pl: 'Czauda' }],
  [/Primorsko-Akhtarsk/i, { en: 'Primorsko-Akhtarsk', uk: 'Приморсько-Ахтарськ', pl: 'Primorsko-Achtarsk' }],
  [/Kursk/i, { en: 'Kursk', uk: 'Курськ', pl: 'Kursk' }],
  [/Belgorod/i, { en: 'Belgorod', uk: 'Бєлгород', pl: 'Biełgorod' }],
  [/Oryol/i, { en: 'Oryol', uk: 'Орел', pl: 'Orzeł' }],
  [/Bryansk/i, { en: 'Bryansk', uk: 'Брянськ', pl: 'Briańsk' }],
  [/Ryazan/i, { en: 'Ryazan', uk: 'Рязань', pl: 'Riazań' }],
  [/Voronezh/i, { en: 'Voronezh', uk: 'Воронеж', pl: 'Woroneż' }],
  [/Rostov/i, { en: 'Rostov', uk: 'Ростов', pl: 'Rostów' }],
  [/Crimea/i, { en: 'Crimea', uk: 'Крим', pl: 'Krym' }],
  [/Black Sea/i, { en: 'Black Sea', uk: 'Чорне море', pl: 'Morze Czarne' }],
];

/** The short name of a place in `lang`, with a key shared by every phrase naming the same place. */
export function placeName(phrase: string): { key: string; name: Record<Lang, string> } | undefined {
  const found = PLACES.find(([pattern]) => pattern.test(phrase));
  return found ? { key: found[1].en, name: found[1] } : undefined;
}
