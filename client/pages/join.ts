/**
 * A trainee's phone: join a drill with its code (the page says which drill it is), a name and
 * the region you are in (no default: you must choose). Then client/drill/trainee.ts takes over.
 * A phone that joined before (a reload, a lost network) goes straight back as the same trainee.
 */
import { joinLookup, type JoinAnswer } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, t } from '../i18n.ts';
import { Siren } from '../sound.ts';
import { savedTrainee, traineeView } from '../drill/trainee.ts';

export async function joinPage(root: HTMLElement, code: string, refusal?: string): Promise<void> {
  const lang = currentLang();
  const found = await joinLookup(code).catch((error: unknown) => (error instanceof Error ? error.message : undefined));
  if (typeof found !== 'object') {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { role: 'alert' }, found ?? t('notFound', lang)), h('a', { href: '/' }, t('back', lang))));
    return;
  }
  const saved = savedTrainee(found.sessionId);
  if (saved && !refusal) return traineeView(root, found, { kind: 'back', ...saved }, new Siren(), () => void joinPage(root, code));
  root.replaceChildren(joinForm(root, code, found, refusal));
}

function joinForm(root: HTMLElement, code: string, found: JoinAnswer, refusal: string | undefined): HTMLElement {
  const lang = currentLang();
  document.title = `${t('joinDrill', lang)} · ${pick(found.title, lang)}`;
  const name = h('input', { name: 'name', maxlength: 40, autocomplete: 'nickname', 'aria-describedby': 'join-error' });
  const region = h('select', { name: 'region' }, h('option', { value: '', disabled: true, selected: true }, t('chooseYourRegion', lang)));
  for (const r of found.regions) region.append(h('option', { value: r.code }, pick(r.name, lang)));
  const error = h('p', { id: 'join-error', class: 'error', role: 'alert', 'data-testid': 'join-error' }, refusal ?? '');
  const form = h(
    'form',
    { class: 'join trainee-join', novalidate: true },
    h('p', { class: 'drill-title', 'data-testid': 'drill-title' }, pick(found.title, lang)),
    h('label', {}, t('name', lang), name),
    h('label', {}, t('chooseYourRegion', lang), region),
    error,
    h('button', { type: 'submit', class: 'big' }, t('join', lang)),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const trimmed = name.value.trim();
    if (trimmed.length < 1 || [...trimmed].length > 40) return void (error.textContent = t('nameRule', lang));
    if (!region.value) return void (error.textContent = t('regionRule', lang));
    // Browsers let a page make sound only after a tap: this tap on "Join" arms the alarm tone.
    const siren = new Siren();
    siren.enable(true);
    traineeView(root, found, { kind: 'new', joinCode: code, name: trimmed, region: region.value }, siren, (message) => void joinPage(root, code, message));
  });
  return h('main', { id: 'main', class: 'trainee' }, h('h1', {}, t('joinDrill', lang)), form);
}
