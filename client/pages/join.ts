/**
 * A trainee's phone: join a drill with its code, pick the region you are in, and report being
 * in the shelter when the alert comes. Answers are acknowledged by the server before they show.
 */
import { REGIONS, regionByCode } from '../../server/domain/regions/index.ts';
import type { NightState } from '../../server/domain/state.ts';
import { connect } from '../sdk/index.ts';
import { joinLookup } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, t } from '../i18n.ts';

export async function joinPage(root: HTMLElement, code: string): Promise<void> {
  const lang = currentLang();
  const found = await joinLookup(code).catch(() => undefined);
  if (!found) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', {}, t('notFound', lang)), h('a', { href: '/' }, t('back', lang))));
    return;
  }
  const name = h('input', { name: 'name', required: true, maxlength: 60, 'aria-label': t('name', lang) });
  const region = h('select', { name: 'region', 'aria-label': t('follow', lang) });
  for (const r of REGIONS.filter((x) => x.country === 'UA')) region.append(h('option', { value: r.code }, r.name[lang]));
  const form = h('form', { class: 'join' }, h('label', {}, t('name', lang), name), h('label', {}, t('follow', lang), region), h('button', { type: 'submit' }, t('join', lang)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    traineeView(root, found.sessionId, code, name.value.trim(), region.value);
  });
  root.replaceChildren(h('header', { class: 'top' }, h('h1', {}, t('joinDrill', lang))), h('main', { id: 'main' }, form));
}

function traineeView(root: HTMLElement, sessionId: string, joinCode: string, name: string, regionCode: string): void {
  const lang = currentLang();
  const key = `air-raid-sim.participant.${sessionId}`;
  const saved = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { participantId: string; participantToken: string } | null;
  const client = connect({ sessionId, role: 'trainee', ...(saved ? { participant: saved } : { joinCode, name, region: regionCode }) });
  let state: NightState | undefined;
  const status = h('p', { class: 'trainee-status', 'aria-live': 'assertive' });
  const button = h('button', { type: 'button', class: 'shelter', 'data-action': 'shelter' }, t('shelter', lang));
  const render = () => {
    const alert = state?.regions[regionCode]?.alert;
    status.textContent = `${regionByCode(regionCode)?.name[lang] ?? regionCode}: ${alert ? t('underAlert', lang) : t('allClear', lang)}`;
    status.className = `trainee-status ${alert ? 'alert' : 'calm'}`;
  };
  client.welcome$.subscribe((w) => sessionStorage.setItem(key, JSON.stringify(w)));
  client.state$.subscribe((s) => {
    state = s;
    render();
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    void client.shelter(true).then((ack) => {
      button.disabled = false;
      if (ack.ok) button.textContent = `✓ ${t('shelter', lang)}`;
    });
  });
  root.replaceChildren(h('header', { class: 'top' }, h('h1', {}, name)), h('main', { id: 'main', class: 'trainee' }, status, button));
}
