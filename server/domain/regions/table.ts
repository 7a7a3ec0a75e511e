/**
 * The 43 regions the simulator knows: Ukraine's 24 oblasts, Kyiv city, Crimea and Sevastopol,
 * and Poland's 16 voivodeships, keyed by their current ISO 3166-2 code.
 *
 * External identifiers come from `shared/reference/alert-apis.md` §1.8, which cites:
 * - alerts.in.ua location UIDs and the order of its IoT status string: https://devs.alerts.in.ua
 * - ukrainealarm (api.ukrainealarm.com v3) region ids, as used by the JAAM LED map:
 *   https://github.com/J-A-A-M/ukraine_alarm_map (no id was found for Sevastopol)
 * - alerts.com.ua state ids: https://github.com/and3rson/raid (it has no Crimea and no Sevastopol)
 * Polish codes: numeric since 2018-11-26 (ISO 3166-2 newsletter II-3); the letter codes are kept
 * only as input aliases because many datasets still use them.
 */

export const COUNTRIES = ['UA', 'PL'] as const;
export type Country = (typeof COUNTRIES)[number];

export interface LocalizedName {
  readonly uk: string;
  readonly en: string;
  readonly pl: string;
}

/** How each real alert API names the region; absent where that API does not cover it. */
export interface ExternalIds {
  /** alerts.in.ua `location_uid` (a string of digits on the wire). */
  readonly alertsInUa?: string;
  /** Position of the region's character in alerts.in.ua's IoT status string (0..26). */
  readonly alertsInUaIotIndex?: number;
  /** ukrainealarm `regionId` (a string of digits on the wire). */
  readonly ukrainealarm?: string;
  /** alerts.com.ua state `id` (an integer 1..25). */
  readonly alertsComUa?: number;
}

export interface RegionRecord {
  readonly code: string;
  readonly country: Country;
  readonly name: LocalizedName;
  /** The pre-2018 letter code, accepted on input only (Polish voivodeships). */
  readonly legacyCode?: string;
  readonly ids: ExternalIds;
}

const ua = (
  code: string,
  uk: string,
  en: string,
  pl: string,
  alertsInUa: string,
  iot: number,
  ukrainealarm: string | undefined,
  alertsComUa: number | undefined,
): RegionRecord => ({
  code,
  country: 'UA',
  name: { uk, en, pl },
  ids: {
    alertsInUa,
    alertsInUaIotIndex: iot,
    ...(ukrainealarm === undefined ? {} : { ukrainealarm }),
    ...(alertsComUa === undefined ? {} : { alertsComUa }),
  },
});

const pl = (code: string, legacyCode: string, uk: string, en: string, plName: string): RegionRecord => ({
  code,
  country: 'PL',
  name: { uk, en, pl: plName },
  legacyCode,
  ids: {},
});

export const REGION_TABLE: readonly RegionRecord[] = [
  ua('UA-43', 'Автономна Республіка Крим', 'Autonomous Republic of Crimea', 'Autonomiczna Republika Krymu', '29', 0, '9999', undefined),
  ua('UA-07', 'Волинська область', 'Volyn', 'obwód wołyński', '8', 1, '8', 2),
  ua('UA-05', 'Вінницька область', 'Vinnytsia', 'obwód winnicki', '4', 2, '4', 1),
  ua('UA-12', 'Дніпропетровська область', 'Dnipropetrovsk', 'obwód dniepropetrowski', '9', 3, '9', 3),
  ua('UA-14', 'Донецька область', 'Donetsk', 'obwód doniecki', '28', 4, '28', 4),
  ua('UA-18', 'Житомирська область', 'Zhytomyr', 'obwód żytomierski', '10', 5, '10', 5),
  ua('UA-21', 'Закарпатська область', 'Zakarpattia', 'obwód zakarpacki', '11', 6, '11', 6),
  ua('UA-23', 'Запорізька область', 'Zaporizhzhia', 'obwód zaporoski', '12', 7, '12', 7),
  ua('UA-26', 'Івано-Франківська область', 'Ivano-Frankivsk', 'obwód iwanofrankiwski', '13', 8, '13', 8),
  ua('UA-30', 'м. Київ', 'Kyiv city', 'Kijów', '31', 9, '31', 25),
  ua('UA-32', 'Київська область', 'Kyiv oblast', 'obwód kijowski', '14', 10, '14', 9),
  ua('UA-35', 'Кіровоградська область', 'Kirovohrad', 'obwód kirowohradzki', '15', 11, '15', 10),
  ua('UA-09', 'Луганська область', 'Luhansk', 'obwód ługański', '16', 12, '16', 11),
  ua('UA-46', 'Львівська область', 'Lviv', 'obwód lwowski', '27', 13, '27', 12),
  ua('UA-48', 'Миколаївська область', 'Mykolaiv', 'obwód mikołajowski', '17', 14, '17', 13),
  ua('UA-51', 'Одеська область', 'Odesa', 'obwód odeski', '18', 15, '18', 14),
  ua('UA-53', 'Полтавська область', 'Poltava', 'obwód połtawski', '19', 16, '19', 15),
  ua('UA-56', 'Рівненська область', 'Rivne', 'obwód rówieński', '5', 17, '5', 16),
  ua('UA-40', 'м. Севастополь', 'Sevastopol', 'Sewastopol', '30', 18, undefined, undefined),
  ua('UA-59', 'Сумська область', 'Sumy', 'obwód sumski', '20', 19, '20', 17),
  ua('UA-61', 'Тернопільська область', 'Ternopil', 'obwód tarnopolski', '21', 20, '21', 18),
  ua('UA-63', 'Харківська область', 'Kharkiv', 'obwód charkowski', '22', 21, '22', 19),
  ua('UA-65', 'Херсонська область', 'Kherson', 'obwód chersoński', '23', 22, '23', 20),
  ua('UA-68', 'Хмельницька область', 'Khmelnytskyi', 'obwód chmielnicki', '3', 23, '3', 21),
  ua('UA-71', 'Черкаська область', 'Cherkasy', 'obwód czerkaski', '24', 24, '24', 22),
  ua('UA-77', 'Чернівецька область', 'Chernivtsi', 'obwód czerniowiecki', '26', 25, '26', 23),
  ua('UA-74', 'Чернігівська область', 'Chernihiv', 'obwód czernihowski', '25', 26, '25', 24),

  pl('PL-02', 'PL-DS', 'Нижньосілезьке воєводство', 'Lower Silesian', 'dolnośląskie'),
  pl('PL-04', 'PL-KP', 'Куявсько-Поморське воєводство', 'Kuyavian-Pomeranian', 'kujawsko-pomorskie'),
  pl('PL-06', 'PL-LU', 'Люблінське воєводство', 'Lublin', 'lubelskie'),
  pl('PL-08', 'PL-LB', 'Любуське воєводство', 'Lubusz', 'lubuskie'),
  pl('PL-10', 'PL-LD', 'Лодзинське воєводство', 'Łódź', 'łódzkie'),
  pl('PL-12', 'PL-MA', 'Малопольське воєводство', 'Lesser Poland', 'małopolskie'),
  pl('PL-14', 'PL-MZ', 'Мазовецьке воєводство', 'Masovian', 'mazowieckie'),
  pl('PL-16', 'PL-OP', 'Опольське воєводство', 'Opole', 'opolskie'),
  pl('PL-18', 'PL-PK', 'Підкарпатське воєводство', 'Subcarpathian', 'podkarpackie'),
  pl('PL-20', 'PL-PD', 'Підляське воєводство', 'Podlaskie', 'podlaskie'),
  pl('PL-22', 'PL-PM', 'Поморське воєводство', 'Pomeranian', 'pomorskie'),
  pl('PL-24', 'PL-SL', 'Сілезьке воєводство', 'Silesian', 'śląskie'),
  pl('PL-26', 'PL-SK', 'Свентокшиське воєводство', 'Holy Cross', 'świętokrzyskie'),
  pl('PL-28', 'PL-WN', 'Вармінсько-Мазурське воєводство', 'Warmian-Masurian', 'warmińsko-mazurskie'),
  pl('PL-30', 'PL-WP', 'Великопольське воєводство', 'Greater Poland', 'wielkopolskie'),
  pl('PL-32', 'PL-ZP', 'Західнопоморське воєводство', 'West Pomeranian', 'zachodniopomorskie'),
];
