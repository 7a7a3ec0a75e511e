/**
 * The scenario library: what each night is, and the ways in — watch it, host a drill, join one.
 * A content note says what these replays are before anyone opens one; the language can be
 * switched here too, and the page is drawn again in it.
 */
import type { ScenarioListing } from '../../server/contract/scenarios.ts';
import { formatOffset } from '../../server/domain/time.ts';
import { createSession, listScenarios, rememberToken } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, plural, saveLang, t, type Lang } from '../i18n.ts';
import { kyivDate } from '../format.ts';
import { languageSelect } from '../watch/header.ts';
import { hostForm } from '../drill/host.ts';

export async function landingPage(root: HTMLElement): Promise<void> {
  const scenarios = await listScenarios();
  const draw = (lang: Lang) => {
    document.title = t('title', lang);
    root.className = '';
    root.replaceChildren(...landing(scenarios, lang, (next) => {
      saveLang(next);
      draw(next);
    }));
  };
  draw(currentLang());
}

function landing(scenarios: readonly ScenarioListing[], lang: Lang, switchLang: (lang: Lang) => void): HTMLElement[] {
  const start = async (scenario: ScenarioListing, kind: 'watch') => {
    const created = await createSession({ scenarioId: scenario.id, kind, autoplay: true });
    rememberToken(created.id, created.instructorToken);
    location.assign(`/s/${created.id}${location.search}`);
  };
  const cards = scenarios.map((s) => {
    const watch = h('button', { type: 'button', 'data-action': 'watch', 'data-scenario': s.id }, t('watch', lang));
    const host = h('button', { type: 'button', 'data-action': 'host', 'data-scenario': s.id }, t('hostDrill', lang));
    watch.addEventListener('click', () => void start(s, 'watch'));
    host.addEventListener('click', () => void hostForm(s.id).then((form) => document.getElementById('main')!.replaceChildren(form)));
    const date = kyivDate(Date.parse(s.start), lang);
    return h(
      'li',
      { class: 'scenario', 'data-scenario': s.id },
      h('h2', {}, pick(s.title, lang)),
      h('p', { class: 'meta' }, `${date} · ${t('length', lang)} ${formatOffset(s.durationMs).slice(0, 5)} · ${plural('events', s.eventCount, lang)} · ${plural('sources', s.sourceCount, lang)}`),
      h('p', {}, pick(s.description, lang)),
      h('div', { class: 'actions' }, watch, host),
    );
  });
  const code = h('input', { name: 'code', autocomplete: 'off', 'aria-label': t('joinCode', lang), placeholder: 'ABC234', maxlength: 12 });
  const join = h('form', { class: 'join' }, h('h2', {}, t('joinDrill', lang)), code, h('button', { type: 'submit' }, t('join', lang)));
  join.addEventListener('submit', (event) => {
    event.preventDefault();
    if (code.value.trim()) location.assign(`/join/${encodeURIComponent(code.value.trim())}`);
  });
  return [
    h('a', { class: 'skip', href: '#main' }, t('skip', lang)),
    h('header', { class: 'top' }, h('h1', {}, t('title', lang)), h('div', { class: 'settings' }, languageSelect(lang, switchLang))),
    h(
      'main',
      { id: 'main', class: 'landing' },
      h('p', { class: 'intro' }, t('intro', lang)),
      h('p', { class: 'content-note', 'data-testid': 'content-note' }, t('contentNote', lang)),
      h('ul', { class: 'library', 'data-testid': 'scenarios' }, ...cards),
      join,
    ),
  ];
}
