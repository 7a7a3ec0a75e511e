/**
 * The instructor's console, made for a projector (readable at 1280x720 and 1920x1080 from the
 * back of a room): the join code large with its link and a QR code, the live counts and roster,
 * the clock's controls, the injects (raise or lift an alert anywhere, Polish sirens, a message to
 * everyone or one region, the next alert of a region), the report, and below them the watch
 * page's map and timeline. The instructor link (token in the fragment) gives a second tab or a
 * projector window the same control.
 */
import QRCode from 'qrcode';
import type { ClockMessage, CreatedSession, Roster } from '../../server/contract/session.ts';
import { REGIONS, regionByCode } from '../../server/domain/regions/index.ts';
import type { Scenario } from '../../server/domain/scenario.ts';
import { asInstructor } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, t, type Lang } from '../i18n.ts';
import { KYIV, localTime } from '../format.ts';
import { SPEEDS } from '../watch/timeline.ts';
import { watchPage } from '../watch/page.ts';
import { connect, type SimClient } from '../sdk/index.ts';
import { rosterView } from './roster-view.ts';
import { reportView } from './report-view.ts';

export async function consolePage(root: HTMLElement, scenario: Scenario, sessionId: string, token: string): Promise<void> {
  const lang = currentLang();
  const drill = await asInstructor<CreatedSession>(`/api/sessions/${encodeURIComponent(sessionId)}/drill`, token);
  const client = connect({ sessionId, role: 'instructor', token });
  let clock: (ClockMessage & { at: number }) | undefined;
  const positionMs = () => (clock ? Math.min(clock.durationMs, clock.positionMs + (clock.playing ? (performance.now() - clock.at) * clock.speed : 0)) : 0);

  const joinLink = new URL(drill.links.join, location.origin).href;
  const instructorLink = new URL(drill.links.instructor, location.origin).href;
  const qr = h('canvas', { class: 'qr', 'data-testid': 'qr', 'data-join-link': joinLink, role: 'img', 'aria-label': joinLink });
  await QRCode.toCanvas(qr, joinLink, { width: 240, margin: 2, errorCorrectionLevel: 'M' });
  const copy = h('button', { type: 'button', 'data-action': 'copy' }, t('copy', lang));
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(instructorLink).then(() => (copy.textContent = t('copied', lang))));
  const resumed = h('p', { class: 'notice', role: 'status', 'data-testid': 'resumed', hidden: true }, t('resumed', lang));
  const counts = h('dl', { class: 'counts', 'data-testid': 'counts' });
  const roster = h('div', { class: 'roster-box' });
  const reportBox = h('div', { class: 'report-box' });
  const time = h('output', { class: 'console-time', 'data-testid': 'console-time' });
  const play = h('button', { type: 'button', 'data-action': 'play' }, t('play', lang));
  const speed = h('select', { 'aria-label': t('speed', lang) }, ...SPEEDS.map((x) => h('option', { value: x }, `${x}×`)));
  play.addEventListener('click', () => void client.control({ action: clock?.playing ? 'pause' : 'play' }));
  speed.addEventListener('change', () => void client.control({ action: 'speed', speed: Number(speed.value) }));

  const showClock = () => {
    time.textContent = localTime(scenario.startMs, positionMs(), KYIV);
    play.textContent = t(clock?.playing ? 'pause' : 'play', lang);
    if (clock) speed.value = String(clock.speed);
  };
  const rows = new Map<string, Roster['participants'][number]>();
  const showRoster = (r: Roster) => {
    if (!r.partial) rows.clear();
    for (const p of r.participants) rows.set(p.participantId, p);
    resumed.hidden = !r.resumed;
    const c = r.counts;
    counts.replaceChildren(
      ...([['joined', c.joined], ['alertedNow', c.alerted], ['inShelter', c.sheltered], ['missed', c.missed]] as const).flatMap(([key, n]) => [
        h('dt', {}, t(key, lang)),
        h('dd', { 'data-testid': `count-${key}` }, String(n)),
      ]),
    );
    roster.replaceChildren(rosterView([...rows.values()], lang));
  };
  client.snapshot$.subscribe((s) => {
    clock = { ...s.clock, at: performance.now() };
    showClock();
  });
  client.clock$.subscribe((c) => {
    clock = { ...c, at: performance.now() };
    showClock();
  });
  client.roster$.subscribe(showRoster);
  setInterval(showClock, 1000);

  const reportButton = h('button', { type: 'button', 'data-action': 'report' }, t('report', lang));
  reportButton.addEventListener('click', () => void reportView(sessionId, token).then((view) => reportBox.replaceChildren(view)));
  const remove = h('button', { type: 'button', class: 'danger', 'data-action': 'delete' }, t('deleteDrill', lang));
  remove.addEventListener('click', () => {
    if (confirm(t('deleteConfirm', lang))) void asInstructor(`/api/sessions/${encodeURIComponent(sessionId)}`, token, { method: 'DELETE' }).then(() => location.assign('/'));
  });

  const watch = h('div', { class: 'console-watch' });
  root.className = 'console-root';
  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'console' },
      h(
        'section',
        { class: 'join-panel', 'aria-label': t('joinDrill', lang) },
        h('h1', {}, pick(scenario.title, lang)),
        h('p', { class: 'join-at' }, t('joinAt', lang, { link: new URL('/join', location.origin).href })),
        h('p', { class: 'join-code', 'data-testid': 'join-code' }, drill.joinCode),
        qr,
        h('p', { class: 'join-link' }, joinLink),
        h('label', { class: 'instructor-link' }, t('instructorLink', lang), h('input', { readonly: true, value: instructorLink, 'data-testid': 'instructor-link' }), copy),
      ),
      h(
        'section',
        { class: 'live', 'aria-label': t('roster', lang) },
        resumed,
        counts,
        h('div', { class: 'console-controls' }, time, play, speed, reportButton),
        roster,
      ),
      injectPanel(client, scenario, drill.regions, positionMs, lang),
      reportBox,
      remove,
    ),
    watch,
  );
  watchPage(watch, scenario, sessionId, token, null);
}

function injectPanel(client: SimClient, scenario: Scenario, offered: readonly string[], positionMs: () => number, lang: Lang): HTMLElement {
  const name = (code: string) => pick(regionByCode(code)?.name ?? { en: code }, lang);
  const regionSelect = (codes: readonly string[], label: string, first?: HTMLOptionElement) =>
    h('select', { 'aria-label': label, 'data-testid': `inject-${label}` }, ...(first ? [first] : []), ...codes.map((c) => h('option', { value: c }, name(c))));
  const ua = REGIONS.filter((r) => r.country === 'UA').map((r) => r.code);
  const pl = REGIONS.filter((r) => r.country === 'PL').map((r) => r.code);
  const region = regionSelect(offered.length ? [...offered, ...ua.filter((c) => !offered.includes(c))] : ua, t('region', lang));
  const polish = regionSelect(pl, 'PL');
  const status = h('p', { class: 'inject-status', role: 'status' });
  const inject = (event: Record<string, unknown>) =>
    void client.inject(event).then((ack) => (status.textContent = ack.ok ? '' : ack.error.message));
  const button = (label: string, action: string, run: () => void) => {
    const b = h('button', { type: 'button', 'data-action': action }, label);
    b.addEventListener('click', run);
    return b;
  };
  const text = h('input', { 'aria-label': t('message', lang), maxlength: 280, 'data-testid': 'message-text' });
  const to = regionSelect(offered, 'to', h('option', { value: '' }, t('everyone', lang)));
  const post = () => {
    if (!text.value.trim()) return;
    void client.post(text.value, to.value || undefined).then((ack) => {
      status.textContent = ack.ok ? '' : ack.error.message;
      if (ack.ok) text.value = '';
    });
  };
  const next = () => {
    const now = positionMs();
    const found = scenario.events.find((e) => e.type === 'alert.start' && e.region === region.value && e.atMs > now);
    if (!found) return void (status.textContent = t('noNextAlert', lang, { region: name(region.value) }));
    // Just before it, then play: the alert arrives as an event, and every phone there rings.
    void client.control({ action: 'seek', positionMs: Math.max(0, found.atMs - 1) }).then(() => client.control({ action: 'play' }));
  };
  return h(
    'section',
    { class: 'injects', 'aria-label': t('injects', lang) },
    h('h2', {}, t('injects', lang)),
    h(
      'div',
      { class: 'inject-row' },
      region,
      button(t('raiseAlert', lang), 'raise', () => inject({ type: 'alert.start', region: region.value, threats: ['drone'] })),
      button(t('liftAlert', lang), 'lift', () => inject({ type: 'alert.end', region: region.value })),
      button(t('nextAlertIn', lang), 'next-alert', next),
    ),
    h(
      'div',
      { class: 'inject-row' },
      polish,
      button(t('sirensOn', lang), 'sirens-on', () => inject({ type: 'siren.start', region: polish.value })),
      button(t('sirensOff', lang), 'sirens-off', () => inject({ type: 'siren.end', region: polish.value })),
    ),
    h('div', { class: 'inject-row' }, text, to, button(t('send', lang), 'post', post)),
    status,
  );
}
