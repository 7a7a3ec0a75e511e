/**
 * The watch page: the map, the timeline, the feed, the counters and the alert banner for one
 * session, redrawn on animation frames (never per event), so it stays smooth at 3600x.
 */
import type { Snapshot } from '../../server/contract/session.ts';
import type { ScenarioEvent, TimelineEvent } from '../../server/domain/events.ts';
import { REGIONS, regionByCode } from '../../server/domain/regions/index.ts';
import type { NightState } from '../../server/domain/state.ts';
import type { Scenario } from '../../server/domain/scenario.ts';
import { resolveMoment } from '../../server/domain/time.ts';
import { h } from '../dom.ts';
import { LANGS, currentLang, pick, saveLang, t, type Lang } from '../i18n.ts';
import { NightMap } from '../map/map.ts';
import { Siren } from '../sound.ts';
import { Connection } from './connection.ts';
import { FeedView } from './feed.ts';
import { SPEEDS, TimelineView } from './timeline.ts';

const FOLLOW_KEY = 'air-raid-sim.follow';

export function watchPage(root: HTMLElement, scenario: Scenario, sessionId: string, token: string | undefined, startAt: string | null): void {
  let lang = currentLang();
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const map = new NightMap(lang, reducedMotion);
  map.drawPlaces(scenario.events);
  map.setRoutes(scenario.events);
  const impacts = scenario.events.filter((e): e is Extract<ScenarioEvent, { type: 'impact' }> => e.type === 'impact');
  const feed = new FeedView(lang, scenario.startMs, scenario.sources);
  const siren = new Siren();
  let dirty = true;

  const banner = h('div', { class: 'banner', 'data-testid': 'alert-banner', role: 'status', hidden: true });
  const live = h('div', { class: 'sr-only', 'aria-live': 'assertive' });
  const status = h('div', { class: 'connection', role: 'status', hidden: true }, t('reconnecting', lang));
  const counters = h('dl', { class: 'counters' });

  const follow = h('select', { 'aria-label': t('follow', lang) }, h('option', { value: '' }, t('nobody', lang)));
  for (const r of REGIONS) follow.append(h('option', { value: r.code }, r.name[lang]));
  follow.value = localStorage.getItem(FOLLOW_KEY) ?? '';
  follow.addEventListener('change', () => localStorage.setItem(FOLLOW_KEY, follow.value));
  const soundBox = h('input', { type: 'checkbox' });
  soundBox.addEventListener('change', () => siren.enable(soundBox.checked));
  const langSelect = h('select', { 'aria-label': 'Language', 'data-testid': 'language' });
  for (const l of LANGS) langSelect.append(h('option', { value: l }, l.toUpperCase()));
  langSelect.value = lang;
  langSelect.addEventListener('change', () => {
    lang = langSelect.value as Lang;
    saveLang(lang);
    feed.setLang(lang);
    map.setLang(lang);
  });
  const help = h('p', { class: 'shortcuts', hidden: true }, t('shortcuts', lang));

  const connection: Connection = new Connection(sessionId, scenario.id, token, {
    snapshot: (snapshot: Snapshot) => {
      feed.reset(snapshot.recent, snapshot.seq);
      dirty = true;
    },
    events: (events: readonly TimelineEvent[], before: NightState) => {
      feed.append(events);
      announce(events, before);
      dirty = true;
    },
    clock: () => (dirty = true),
    status: (connected) => (status.hidden = connected),
    moved: (id) => history.replaceState(null, '', `/s/${id}${location.search}`),
    gone: () => {
      status.hidden = false;
      status.textContent = t('notFound', lang);
    },
  });

  const timeline = new TimelineView(
    lang,
    scenario.startMs,
    scenario.durationMs,
    scenario.events,
    {
      play: () => connection.control({ action: 'play' }),
      pause: () => connection.control({ action: 'pause' }),
      step: (direction) => connection.control({ action: 'step', direction }),
      seek: (positionMs) => connection.control({ action: 'seek', positionMs }),
      speed: (speed) => connection.control({ action: 'speed', speed }),
      loop: (on) => connection.control({ action: 'loop', loop: on }),
    },
    connection.isInstructor,
  );

  /** The banner and announcements for the followed region, and the siren tone. */
  function announce(events: readonly TimelineEvent[], before: NightState): void {
    const code = follow.value;
    if (!code) return;
    const name = regionByCode(code)?.name[lang] ?? code;
    for (const e of events) {
      if (!('region' in e) || e.region !== code) continue;
      if (e.type === 'alert.start' && !before.regions[code]?.alert) {
        banner.hidden = false;
        banner.className = 'banner alert';
        banner.textContent = `${t('underAlert', lang)}: ${name}`;
        live.textContent = banner.textContent;
        siren.sound();
      } else if (e.type === 'alert.end') {
        banner.hidden = false;
        banner.className = 'banner clear';
        banner.textContent = `${t('allClear', lang)}: ${name}`;
        live.textContent = banner.textContent;
      }
    }
  }

  function renderCounters(state: NightState): void {
    const c = state.counters;
    const missiles = (k: typeof c.launched) => k.cruise_missile + k.ballistic_missile + k.aeroballistic_missile;
    const rows: Array<[string, string]> = [
      [t('drones', lang), `${c.launched.drone} ${t('launched', lang)} · ${c.intercepted.drone} ${t('shotDown', lang)}`],
      [t('missiles', lang), `${missiles(c.launched)} ${t('launched', lang)} · ${c.intercepted.cruise_missile + c.intercepted.ballistic_missile + c.intercepted.aeroballistic_missile} ${t('shotDown', lang)}`],
      [t('regionsUnderAlert', lang), String(c.regionsUnderAlert)],
      [t('hits', lang), String(c.impacts)],
      [t('injured', lang), String(c.injured)],
      [t('killed', lang), String(c.killed)],
    ];
    counters.replaceChildren(...rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
  }

  // One render per animation frame: state changes are applied once, however many events came.
  const frame = () => {
    const position = connection.positionMs();
    const clock = connection.clock;
    if (clock) timeline.show(position, clock.playing, clock.speed, clock.loop);
    if (dirty && connection.state) {
      dirty = false;
      map.renderState(connection.state);
      renderCounters(connection.state);
    }
    map.renderImpacts([...impacts.filter((e) => e.atMs <= position), ...connection.live.filter((e): e is Extract<ScenarioEvent, { type: 'impact' }> => e.type === 'impact')]);
    map.animate(position);
    map.refreshInfo(position, scenario.startMs, scenario.timeZone);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  // A moment in the address (?t=05:20) is where the creator's replay opens.
  if (startAt && connection.isInstructor) {
    const ms = resolveMoment(startAt, scenario.startMs, scenario.timeZone);
    if (ms !== undefined && ms >= 0 && ms <= scenario.durationMs) connection.control({ action: 'seek', positionMs: ms });
  }

  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    const clock = connection.clock;
    if (event.key === ' ') {
      event.preventDefault();
      connection.control({ action: clock?.playing ? 'pause' : 'play' });
    } else if (event.key === 'ArrowRight') connection.control({ action: 'step', direction: 1 });
    else if (event.key === 'ArrowLeft') connection.control({ action: 'step', direction: -1 });
    else if (/^[1-5]$/.test(event.key)) connection.control({ action: 'speed', speed: SPEEDS[Number(event.key) - 1]! });
    else if (event.key === '?') help.hidden = !help.hidden;
  });

  const title = h('h1', {}, pick(scenario.title, lang));
  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('a', { href: '/', class: 'home' }, t('back', lang)),
      title,
      h('div', { class: 'settings' }, h('label', {}, `${t('follow', lang)} `, follow), h('label', {}, soundBox, ` ${t('sound', lang)}`), langSelect),
    ),
    status,
    banner,
    live,
    h('main', { id: 'main', class: 'watch' }, h('div', { class: 'stage' }, map.element, counters), feed.element),
    timeline.element,
    help,
  );
}
