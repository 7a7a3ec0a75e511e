/**
 * The watch page's header: the way home, the night's title, and the settings people change
 * (the region they follow, the siren sound, large text for projectors, the language, the
 * keyboard help). Built anew on a language switch; the values live in the page.
 */
import { REGIONS } from '../../server/domain/regions/index.ts';
import { h } from '../dom.ts';
import { LANGS, LANG_NAMES, t, type Lang } from '../i18n.ts';

export interface HeaderValues {
  readonly title: string;
  readonly follow: string;
  readonly sound: boolean;
  readonly projector: boolean;
}

export interface HeaderActions {
  follow(code: string): void;
  sound(on: boolean): void;
  projector(on: boolean): void;
  lang(lang: Lang): void;
  help(): void;
}

/** The language switch, shared by the landing page: each language named in itself. */
export function languageSelect(lang: Lang, onChange: (lang: Lang) => void): HTMLSelectElement {
  const select = h('select', { 'aria-label': t('language', lang), 'data-testid': 'language' });
  for (const l of LANGS) select.append(h('option', { value: l, lang: l }, LANG_NAMES[l]));
  select.value = lang;
  select.addEventListener('change', () => onChange(select.value as Lang));
  return select;
}

/** Wide screens show the less used controls open; phones fold them away. */
export const wide = () => innerWidth > 760;

/** `state`: the connection, notices and the banner, kept inside the header's landmark. */
export function watchHeader(lang: Lang, values: HeaderValues, on: HeaderActions, state: HTMLElement[]): HTMLElement {
  const follow = h('select', { 'data-testid': 'follow', 'aria-label': t('follow', lang) }, h('option', { value: '' }, t('nobody', lang)));
  for (const r of REGIONS) follow.append(h('option', { value: r.code }, r.name[lang]));
  follow.value = values.follow;
  follow.addEventListener('change', () => on.follow(follow.value));
  const box = (checked: boolean, testid: string, change: (on: boolean) => void) => {
    const el = h('input', { type: 'checkbox', 'data-testid': testid, checked });
    el.addEventListener('change', () => change(el.checked));
    return el;
  };
  const help = h('button', { type: 'button', class: 'help-button', 'data-action': 'help', 'aria-label': t('help', lang), title: t('help', lang) }, '?');
  help.addEventListener('click', () => on.help());
  return h(
    'header',
    { class: 'top' },
    h('a', { href: '/', class: 'home' }, t('back', lang)),
    h('h1', {}, values.title),
    h(
      'div',
      { class: 'settings' },
      h('label', { class: 'follow' }, h('span', { class: 'label-text' }, t('follow', lang)), follow),
      languageSelect(lang, on.lang),
      h(
        'details',
        { class: 'more', open: wide() },
        h('summary', {}, t('settings', lang)),
        h('div', { class: 'more-items' }, h('label', { class: 'check' }, box(values.sound, 'sound', on.sound), ` ${t('sound', lang)}`), h('label', { class: 'check' }, box(values.projector, 'projector', on.projector), ` ${t('projector', lang)}`), help),
      ),
    ),
    h('div', { class: 'state' }, ...state),
  );
}
