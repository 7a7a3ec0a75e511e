/**
 * The watch page: the map, the timeline, the feed, the counters and the banner for one session,
 * redrawn on animation frames (never per event), so it stays smooth at 3600x. The connection,
 * the banner and the feed's items outlive a language switch; everything with words in it is
 * built again in the new language, the document's title and `lang` included.
 */
import type { Snapshot } from '../../server/contract/session.ts';
import type { ScenarioEvent, TimelineEvent } from '../../server/domain/events.ts';
import { regionByCode } from '../../server/domain/regions/index.ts';
import type { NightState } from '../../server/domain/state.ts';
import type { Scenario } from '../../server/domain/scenario.ts';
import { createSession, rememberToken } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, saveLang, t, type Lang } from '../i18n.ts';
import { KYIV, localTime, readMoment } from '../format.ts';
import { NightMap } from '../map/map.ts';
import { Siren } from '../sound.ts';
import { AlertBanner } from './banner.ts';
import { Connection } from './connection.ts';
import { FeedView } from './feed.ts';
import { watchHeader } from './header.ts';
import { SPEEDS, TimelineView } from './timeline.ts';

const FOLLOW_KEY = 'air-raid-sim.follow';
const PROJECTOR_KEY = 'air-raid-sim.projector';

/** Something the page says once at the top: a shared moment opened, a live replay followed, a link misread. */
export type Notice = { readonly kind: 'own' | 'badLink'; readonly text: string } | { readonly kind: 'following' };

interface Views {
  readonly map: NightMap;
  readonly feed: FeedView;
  readonly timeline: TimelineView;
  readonly counters: HTMLElement;
  readonly help: HTMLElement;
}

export function watchPage(root: HTMLElement, scenario: Scenario, sessionId: string, token: string | undefined, startAt: string | null, notice?: Notice): void {
  let lang = currentLang();
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const impacts = scenario.events.filter((e): e is Extract<ScenarioEvent, { type: 'impact' }> => e.type === 'impact');
  const siren = new Siren();
  let follow = localStorage.getItem(FOLLOW_KEY) ?? '';
  let projector = localStorage.getItem(PROJECTOR_KEY) === 'on';
  document.documentElement.classList.toggle('projector', projector);
  let soundNoted = false;
  let dirty = true;
  let lastCounters = '';

  const banner = new AlertBanner({ startMs: scenario.startMs, sirenSince: (code, at) => scenario.events.findLast((e) => e.type === 'siren.start' && e.region === code && e.atMs <= at)?.atMs });
  const status = h('div', { class: 'connection', role: 'status', hidden: true });
  const noticeBox = h('div', { class: 'notice', 'data-testid': 'notice', hidden: true });
  // A test (or an instructor) made the feed misbehave on purpose: said plainly, so nobody takes it for a real outage.
  const faultsBox = h('div', { class: 'connection faults', role: 'status', 'data-testid': 'faults', hidden: true });

  const connection: Connection = new Connection(sessionId, scenario.id, token, {
    snapshot: (snapshot: Snapshot) => {
      views.feed.reset(snapshot.recent, snapshot.seq);
      dirty = true;
    },
    events: (events: readonly TimelineEvent[], _before: NightState) => {
      views.feed.append(events);
      dirty = true;
    },
    clock: () => (dirty = true),
    status: (connected) => {
      status.hidden = connected;
      status.textContent = t('reconnecting', lang);
    },
    moved: (id) => history.replaceState(null, '', `/s/${id}${location.search}`),
    gone: () => {
      status.hidden = false;
      status.textContent = t('notFound', lang);
    },
    faults: (report) => {
      const kinds = Object.keys(report.profile ?? {}).filter((k) => k !== 'seed');
      faultsBox.hidden = kinds.length === 0;
      faultsBox.textContent = kinds.length ? t('faultsOn', lang, { kinds: kinds.join(', ') }) : '';
    },
  });

  const seek = (positionMs: number) => connection.control({ action: 'seek', positionMs });

  /** The next alert (or, in Poland, sirens) in the followed region after now. */
  const nextAlert = (): string | undefined => {
    if (!follow) return t('chooseRegion', lang);
    const now = connection.positionMs();
    const next = scenario.events.find((e) => e.atMs > now + 500 && (e.type === 'alert.start' || e.type === 'siren.start') && e.region === follow);
    if (!next) return t('noNextAlert', lang, { region: regionByCode(follow)?.name[lang] ?? follow });
    seek(next.atMs);
    return undefined;
  };

  const ownReplay = async () => {
    const created = await createSession({ scenarioId: scenario.id, positionMs: Math.floor(connection.positionMs()), autoplay: false });
    rememberToken(created.id, created.instructorToken);
    location.assign(`/s/${created.id}`);
  };

  function showNotice(): void {
    noticeBox.replaceChildren();
    const parts: Array<Node | string> = [];
    if (notice?.kind === 'following') {
      const open = h('button', { type: 'button', 'data-action': 'own-replay' }, t('openOwn', lang));
      open.addEventListener('click', () => void ownReplay());
      parts.push(h('span', {}, t('followingLive', lang, { name: t('someone', lang) })), ' ', open);
    } else if (notice?.kind === 'own') parts.push(t('ownReplay', lang, { time: notice.text }));
    else if (notice?.kind === 'badLink') parts.push(t('badLink', lang, { text: notice.text, hint: t('timeHint', lang) }));
    if (soundNoted) parts.push(h('span', { class: 'sound-note' }, t('soundNote', lang)));
    noticeBox.append(...parts);
    noticeBox.hidden = parts.length === 0;
    noticeBox.className = `notice ${notice?.kind === 'badLink' ? 'error' : ''}`;
  }

  function mount(): Views {
    document.title = `${pick(scenario.title, lang)} — ${t('title', lang)}`;
    const map = new NightMap(lang, reducedMotion, scenario.startMs);
    map.drawPlaces(scenario.events);
    map.setRoutes(scenario.events);
    const feed = new FeedView(lang, scenario.startMs, scenario.sources, scenario.events, seek);
    const timeline = new TimelineView(
      lang,
      scenario.startMs,
      scenario.durationMs,
      scenario.events,
      {
        play: () => connection.control({ action: 'play' }),
        pause: () => connection.control({ action: 'pause' }),
        step: (direction) => connection.control({ action: 'step', direction }),
        seek,
        speed: (speed) => connection.control({ action: 'speed', speed }),
        loop: (on) => connection.control({ action: 'loop', loop: on }),
        nextAlert,
      },
      connection.isInstructor,
      (positionMs) => `/s/${connection.id}?t=${encodeURIComponent(localTime(scenario.startMs, positionMs, KYIV))}&n=${encodeURIComponent(scenario.id)}`,
    );
    const close = h('button', { type: 'button', 'data-action': 'close-help' }, t('close', lang));
    const help = h('div', { class: 'help-panel', role: 'dialog', 'aria-label': t('help', lang), hidden: true }, h('p', { class: 'shortcuts' }, t('shortcuts', lang)), close);
    close.addEventListener('click', () => toggleHelp(false));
    const counters = h('dl', { class: 'counters', 'aria-label': t('counters', lang), 'data-testid': 'counters' });
    const header = watchHeader(
      lang,
      { title: pick(scenario.title, lang), follow, sound: siren.enabled, projector },
      {
        follow: (code) => {
          follow = code;
          localStorage.setItem(FOLLOW_KEY, code);
          dirty = true;
        },
        sound: (on) => {
          siren.enable(on);
          if (on && !soundNoted) {
            soundNoted = true;
            showNotice();
          }
        },
        projector: (on) => {
          projector = on;
          localStorage.setItem(PROJECTOR_KEY, on ? 'on' : 'off');
          document.documentElement.classList.toggle('projector', on);
          requestAnimationFrame(() => map.layoutLabels());
        },
        lang: (next) => {
          lang = next;
          saveLang(lang);
          const items = views.feed.items;
          views = mount();
          views.feed.adopt(items);
        },
        help: () => toggleHelp(),
      },
      [status, faultsBox, noticeBox, banner.element, banner.live],
    );
    showNotice();
    root.replaceChildren(
      h('a', { class: 'skip', href: '#main' }, t('skip', lang)),
      header,
      h('main', { id: 'main', class: 'watch', tabindex: -1 }, h('div', { class: 'stage' }, map.element, counters), feed.element),
      timeline.element,
      help,
    );
    root.className = 'watch-layout';
    map.layoutLabels();
    dirty = true;
    lastCounters = '';
    return { map, feed, timeline, counters, help };
  }

  /** The key help: focus moves into it, and back to where it was when it closes. */
  let returnFocus: Element | null = null;
  function toggleHelp(show = views.help.hidden): void {
    if (show === !views.help.hidden) return;
    if (show) returnFocus = document.activeElement;
    views.help.hidden = !show;
    if (show) views.help.querySelector('button')?.focus();
    else if (returnFocus instanceof HTMLElement && returnFocus !== document.body && returnFocus.isConnected) returnFocus.focus();
    else (document.activeElement as HTMLElement | null)?.blur();
  }

  function renderCounters(state: NightState): void {
    const c = state.counters;
    const n = (x: number) => x.toLocaleString(lang);
    const missiles = (k: typeof c.launched) => k.cruise_missile + k.ballistic_missile + k.aeroballistic_missile;
    const rows: Array<[string, string]> = [
      [t('drones', lang), `${n(c.launched.drone)} ${t('launched', lang)} · ${n(c.intercepted.drone)} ${t('shotDown', lang)}`],
      [t('missiles', lang), `${n(missiles(c.launched))} ${t('launched', lang)} · ${n(c.intercepted.cruise_missile + c.intercepted.ballistic_missile + c.intercepted.aeroballistic_missile)} ${t('shotDown', lang)}`],
      [t('regionsUnderAlert', lang), n(c.regionsUnderAlert)],
      [t('hits', lang), n(c.impacts)],
      [t('injured', lang), n(c.injured)],
      [t('killed', lang), n(c.killed)],
    ];
    const key = JSON.stringify(rows);
    if (key === lastCounters) return;
    lastCounters = key;
    views.counters.replaceChildren(...rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
  }

  let views = mount();
  saveLang(lang);

  // One render per animation frame: state changes are applied once, however many events came.
  const frame = () => {
    const position = connection.positionMs();
    const clock = connection.clock;
    if (clock) views.timeline.show(position, clock.playing, clock.speed, clock.loop);
    if (dirty && connection.state) {
      dirty = false;
      views.map.renderState(connection.state);
      renderCounters(connection.state);
    }
    if (clock && banner.update(connection.state, position, follow, lang)) siren.sound();
    views.map.renderImpacts([...impacts.filter((e) => e.atMs <= position), ...connection.live.filter((e): e is Extract<ScenarioEvent, { type: 'impact' }> => e.type === 'impact')]);
    views.map.animate(position);
    views.map.refreshInfo(position);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  // A moment in the address (?t=05:20) is where the creator's replay opens.
  if (startAt && connection.isInstructor) {
    const read = readMoment(startAt, scenario.startMs, scenario.durationMs);
    if (read.ok) seek(read.ms);
  }

  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    // Space and Enter press the focused button or link, as everywhere else.
    if ((event.key === ' ' || event.key === 'Enter') && target instanceof Element && target.closest('button, a, summary, [role="button"]')) return;
    const clock = connection.clock;
    if (event.key === ' ') {
      event.preventDefault();
      connection.control({ action: clock?.playing ? 'pause' : 'play' });
    } else if (event.key === 'ArrowRight') connection.control({ action: 'step', direction: 1 });
    else if (event.key === 'ArrowLeft') connection.control({ action: 'step', direction: -1 });
    else if (/^[1-5]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) connection.control({ action: 'speed', speed: SPEEDS[Number(event.key) - 1]! });
    else if (event.key === '?') toggleHelp();
    else if (event.key === 'Escape' && !views.help.hidden) toggleHelp(false);
  });
}
