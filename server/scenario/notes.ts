/**
 * The notes the wave compiler writes on what it models, in the three languages the simulator
 * speaks. A compiled note says what was modelled and adds the author's own note; it never names
 * a wave or a track by its id, which is for files, not for people.
 */
import type { LocalizedText } from '../domain/events.ts';

const LANGS = ['en', 'uk', 'pl'] as const;

/** Joins notes language by language; a part without a language lends its English there. */
export function joinNotes(...parts: ReadonlyArray<LocalizedText | undefined>): LocalizedText {
  const present = parts.filter((p): p is LocalizedText => p !== undefined);
  const join = (lang: (typeof LANGS)[number]) => present.map((p) => p[lang] ?? p.en).join('; ');
  return { en: join('en'), uk: join('uk'), pl: join('pl') };
}

export const NOTES = {
  launch: {
    en: 'Modelled launch: the time, the launch area and the size of this group are reconstructed',
    uk: 'Змодельований пуск: час, район пуску й кількість у цій групі реконструйовано',
    pl: 'Modelowane odpalenie: czas, rejon startu i liczebność tej grupy są zrekonstruowane',
  },
  move: {
    en: 'Modelled position: the group flies a reconstructed route at a constant speed',
    uk: 'Змодельоване положення: група летить реконструйованим маршрутом зі сталою швидкістю',
    pl: 'Modelowana pozycja: grupa leci zrekonstruowaną trasą ze stałą prędkością',
  },
  intercept: {
    en: 'Modelled: where and when these were shot down is reconstructed from the group\'s route',
    uk: 'Змодельовано: де й коли їх збито, відновлено за маршрутом групи',
    pl: 'Modelowane: miejsce i czas zestrzelenia odtworzono na podstawie trasy grupy',
  },
  interceptTimed: {
    en: 'The count is reported; the time is modelled from the group\'s route',
    uk: 'Кількість повідомлено; час змодельовано за маршрутом групи',
    pl: 'Liczba jest podana w źródle; czas modelowano na podstawie trasy grupy',
  },
  impact: {
    en: 'The hit is reported; its time is modelled from the group\'s route',
    uk: 'Про влучання повідомлено; його час змодельовано за маршрутом групи',
    pl: 'Trafienie jest podane w źródle; jego czas modelowano na podstawie trasy grupy',
  },
  placeholder: {
    en: 'Modelled hit: its place and time are reconstructed',
    uk: 'Змодельоване влучання: місце й час реконструйовано',
    pl: 'Modelowane trafienie: miejsce i czas są zrekonstruowane',
  },
  alert: {
    en: 'Modelled alert: declared a lead time before the threats reach the region, lifted after they have left it',
    uk: 'Змодельована тривога: оголошена із запасом часу до підльоту загроз, скасована після того, як вони залишили область',
    pl: 'Modelowany alarm: ogłoszony z wyprzedzeniem przed nadlotem zagrożeń, odwołany po ich odlocie',
  },
  allClear: {
    en: 'Modelled all-clear: no source reports this time; regions are cleared one by one, minutes apart',
    uk: 'Змодельований відбій: жодне джерело не повідомляє цього часу; області отримують відбій по черзі, з різницею в кілька хвилин',
    pl: 'Modelowane odwołanie alarmu: żadne źródło nie podaje tej godziny; regiony odwołują alarm po kolei, w odstępach kilku minut',
  },
  recordStart: {
    en: 'As the official alert record shows it: the earliest alert it lists in the oblast that was still on at the time of the record',
    uk: 'За офіційним записом тривог: найраніша тривога в області, яка ще тривала на момент запису',
    pl: 'Według oficjalnego zapisu alarmów: najwcześniejszy alarm w obwodzie, który wciąż trwał w chwili zapisu',
  },
  afterRecord: {
    en: 'The official record has the region calm at that moment, so its alert is placed just after it',
    uk: 'За офіційним записом у цей момент тривоги в області не було, тож її оголошення поставлено одразу після нього',
    pl: 'Według oficjalnego zapisu w tej chwili w regionie nie było alarmu, więc jego ogłoszenie umieszczono tuż po niej',
  },
  beforeRecord: {
    en: 'The official record has the region calm at that moment, so its all-clear is placed just before it',
    uk: 'За офіційним записом у цей момент тривоги в області не було, тож відбій поставлено перед ним',
    pl: 'Według oficjalnego zapisu w tej chwili w regionie nie było alarmu, więc odwołanie umieszczono tuż przed nią',
  },
  takeoff: {
    en: 'The take-off is reported; its time is modelled',
    uk: 'Про зліт повідомлено; його час змодельовано',
    pl: 'Start jest podany w źródle; jego czas modelowano',
  },
  landed: {
    en: 'Modelled landing: no source reports it',
    uk: 'Змодельована посадка: жодне джерело про неї не повідомляє',
    pl: 'Modelowane lądowanie: żadne źródło go nie podaje',
  },
  scramble: {
    en: 'Modelled: Polish practice scrambles aircraft as threats near the border and stands them down after',
    uk: 'Змодельовано: за польською практикою літаки піднімають, коли загрози наближаються до кордону, і повертають після',
    pl: 'Modelowane: zgodnie z polską praktyką lotnictwo jest podrywane, gdy zagrożenia zbliżają się do granicy, i wraca po ich odlocie',
  },
} as const satisfies Record<string, LocalizedText>;
