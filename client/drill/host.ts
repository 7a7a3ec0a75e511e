/**
 * "Host a drill": the scenario (from its card), the moment it starts at, its speed, and which
 * regions trainees may pick (by default every Ukrainian region the night alerts; occupied Crimea
 * and Sevastopol are outside the alert system and never offered). Creating it opens the console.
 */
import type { Scenario } from '../../server/domain/scenario.ts';
import { regionByCode } from '../../server/domain/regions/index.ts';
import { createSession, getScenario, rememberToken } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, t } from '../i18n.ts';
import { readMoment } from '../format.ts';
import { SPEEDS } from '../watch/timeline.ts';

const NOT_OFFERED = new Set(['UA-43', 'UA-40']);

/** The regions a drill of this night offers by default (the server decides the same way). */
export function alertedRegions(scenario: Scenario): string[] {
  const codes = new Set<string>(scenario.initial.alerts.map((a) => a.region));
  for (const e of scenario.events) if (e.type === 'alert.start') codes.add(e.region);
  return [...codes].filter((c) => c.startsWith('UA-') && !NOT_OFFERED.has(c)).sort();
}

export async function hostForm(scenarioId: string): Promise<HTMLElement> {
  const lang = currentLang();
  const scenario = await getScenario(scenarioId);
  const start = h('input', { name: 'start', value: '+00:00', autocomplete: 'off' });
  const speed = h('select', { name: 'speed' }, ...SPEEDS.map((x) => h('option', { value: x, selected: x === 60 }, `${x}×`)));
  const regions = alertedRegions(scenario).map((code) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'region', value: code, checked: true }), pick(regionByCode(code)?.name ?? { en: code }, lang)),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'host', 'data-testid': 'host-form' },
    h('h2', {}, `${t('drillSetup', lang)}: ${pick(scenario.title, lang)}`),
    h('label', {}, t('startAt', lang), start),
    h('label', {}, t('speed', lang), speed),
    h('fieldset', { class: 'regions' }, h('legend', {}, t('drillRegions', lang)), ...regions),
    error,
    h('button', { type: 'submit', class: 'big' }, t('openConsole', lang)),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const moment = readMoment(start.value, scenario.startMs, scenario.durationMs);
    if (!moment.ok) return void (error.textContent = t('badTime', lang, { text: start.value, hint: t('timeHint', lang) }));
    const picked = regions.map((l) => l.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
    if (picked.length === 0) return void (error.textContent = t('regionRule', lang));
    createSession({ scenarioId, kind: 'drill', positionMs: moment.ms, speed: Number(speed.value), autoplay: false, regions: picked })
      .then((created) => {
        rememberToken(created.id, created.instructorToken);
        location.assign(created.links.instructor);
      })
      .catch((e: unknown) => (error.textContent = e instanceof Error ? e.message : String(e)));
  });
  return form;
}
