/**
 * The timeline: a scrubber across the whole night over a histogram of event density, with key
 * moments as buttons that jump to them; play and pause, step, speed, loop; jumps to the first
 * alert and to the next alert in the followed region; a field to go to a typed moment; the real
 * time in Kyiv and Warsaw and the time elapsed. Keys on the scrubber move by 1 minute (arrows),
 * 15 minutes (Page Up/Down) and 1 hour (Shift+arrows): one second of an 18-hour night is no step.
 * It carries the stable hooks `clock`, `scrubber`, `speed` and the `data-action` buttons.
 */
import type { ScenarioEvent } from '../../server/domain/events.ts';
import { regionByCode } from '../../server/domain/regions/index.ts';
import { h, s } from '../dom.ts';
import { t, type Lang } from '../i18n.ts';
import { wide } from './header.ts';
import { KYIV, WARSAW, elapsed, kyivDate, localTime, readMoment } from '../format.ts';

export const SPEEDS = [1, 10, 60, 600, 3600] as const;
const BINS = 120;
const MINUTE = 60_000;

export interface TimelineActions {
  play(): void;
  pause(): void;
  step(direction: 1 | -1): void;
  seek(positionMs: number): void;
  speed(speed: number): void;
  loop(on: boolean): void;
  /** Jump to the next alert in the followed region; returns a message when there is none. */
  nextAlert(): string | undefined;
}

interface Marker {
  readonly atMs: number;
  readonly label: string;
  readonly kind: string;
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly scrubber: HTMLInputElement;
  private readonly clock: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly loopBox: HTMLInputElement;
  private readonly message: HTMLElement;
  private readonly shareLink: HTMLAnchorElement;
  private dragging = false;
  private lastShown = -1;
  /**
   * A position asked for and not yet confirmed by the session: frames keep showing it, rather
   * than the one before, until a clock near it arrives (or 2 s pass), so a second key press
   * steps from where the first one went.
   */
  private held: { readonly target: number; readonly until: number } | undefined;

  constructor(
    private readonly lang: Lang,
    private readonly startMs: number,
    private readonly durationMs: number,
    events: readonly ScenarioEvent[],
    private readonly actions: TimelineActions,
    controllable: boolean,
    private readonly shareHref: (positionMs: number) => string,
  ) {
    this.scrubber = h('input', { type: 'range', min: 0, max: durationMs, step: 1000, value: 0, 'data-testid': 'scrubber', 'aria-label': t('position', lang), disabled: !controllable });
    this.scrubber.addEventListener('pointerdown', () => (this.dragging = true));
    this.scrubber.addEventListener('input', () => {
      this.dragging = true;
      this.showClock(Number(this.scrubber.value));
    });
    this.scrubber.addEventListener('change', () => {
      this.dragging = false;
      this.hold(Number(this.scrubber.value));
      actions.seek(Number(this.scrubber.value));
    });
    this.scrubber.addEventListener('keydown', (event) => this.scrubKey(event));
    this.clock = h('div', { class: 'clock', 'data-testid': 'clock', 'data-position-ms': 0 });
    const button = (action: string, label: string, symbol: string, onClick: () => void) => {
      const b = h('button', { type: 'button', 'data-action': action, 'aria-label': label, title: label, disabled: !controllable }, symbol);
      b.addEventListener('click', onClick);
      return b;
    };
    this.playButton = button('play', t('play', lang), '▶', () => actions.play());
    this.pauseButton = button('pause', t('pause', lang), '❚❚', () => actions.pause());
    const back = button('step-back', t('stepBack', lang), '«', () => actions.step(-1));
    const forward = button('step-forward', t('stepForward', lang), '»', () => actions.step(1));
    this.speedSelect = h('select', { 'data-testid': 'speed', 'aria-label': t('speed', lang), disabled: !controllable });
    for (const speed of SPEEDS) this.speedSelect.append(h('option', { value: speed }, `${speed}×`));
    this.speedSelect.addEventListener('change', () => actions.speed(Number(this.speedSelect.value)));
    this.loopBox = h('input', { type: 'checkbox', disabled: !controllable });
    this.loopBox.addEventListener('change', () => actions.loop(this.loopBox.checked));
    const loopLabel = h('label', { class: 'loop' }, this.loopBox, ` ${t('loop', lang)}`);
    this.message = h('p', { class: 'timeline-message', role: 'status' });

    const firstAlert = events.find((e) => e.type === 'alert.start');
    const first = button('first-alert', t('firstAlert', lang), t('firstAlert', lang), () => firstAlert && actions.seek(firstAlert.atMs));
    const next = button('next-alert', t('nextAlert', lang), t('nextAlert', lang), () => this.say(actions.nextAlert() ?? ''));
    const timeField = h('input', { name: 'moment', 'data-testid': 'moment', autocomplete: 'off', inputmode: 'text', placeholder: '04:21', size: 7, 'aria-label': `${t('goTo', lang)} (${t('timeHint', lang)})`, title: t('timeHint', lang), disabled: !controllable });
    const goForm = h('form', { class: 'goto' }, timeField, h('button', { type: 'submit', 'data-action': 'goto', disabled: !controllable }, t('go', lang)));
    goForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const read = readMoment(timeField.value, startMs, durationMs);
      if (read.ok) {
        this.say('');
        actions.seek(read.ms);
      } else this.say(t('badTime', lang, { text: timeField.value, hint: t('timeHint', lang) }));
    });

    this.shareLink = h('a', { class: 'share', 'data-testid': 'share', href: shareHref(0) }, t('share', lang));

    this.element = h(
      'section',
      { class: 'timeline', 'aria-label': t('timeline', lang) },
      h('div', { class: 'track-area' }, this.histogram(events), this.markers(events, controllable), this.scrubber),
      h(
        'div',
        { class: 'controls' },
        back,
        this.playButton,
        this.pauseButton,
        forward,
        this.speedSelect,
        this.clock,
        h('details', { class: 'jumps', open: wide() }, h('summary', {}, t('moreMoves', lang)), h('div', { class: 'jump-items' }, first, next, goForm, loopLabel, this.shareLink, this.message)),
      ),
    );
  }

  private say(text: string): void {
    if (this.message.textContent !== text) this.message.textContent = text;
  }

  /** Per frame: the clock text and the scrubber, unless the user is dragging it. */
  show(positionMs: number, playing: boolean, speed: number, loop: boolean): void {
    this.playButton.hidden = playing;
    this.pauseButton.hidden = !playing;
    if (document.activeElement !== this.speedSelect) this.speedSelect.value = String(speed);
    this.loopBox.checked = loop;
    if (this.dragging) return;
    if (this.held) {
      const confirmed = Math.abs(positionMs - this.held.target) <= 1000 + speed * 250;
      if (!confirmed && performance.now() < this.held.until) return;
      this.held = undefined;
    }
    const whole = Math.floor(positionMs / 1000) * 1000;
    if (whole === this.lastShown) return;
    this.lastShown = whole;
    this.scrubber.value = String(whole);
    this.showClock(positionMs);
  }

  private scrubKey(event: KeyboardEvent): void {
    const steps: Record<string, number> = { ArrowRight: MINUTE, ArrowUp: MINUTE, ArrowLeft: -MINUTE, ArrowDown: -MINUTE, PageUp: 15 * MINUTE, PageDown: -15 * MINUTE };
    let delta = steps[event.key];
    let target: number | undefined;
    if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = this.durationMs;
    else if (delta === undefined) return;
    else {
      if (event.shiftKey && Math.abs(delta) === MINUTE) delta *= 60;
      const from = Number(this.scrubber.value);
      target = Math.min(this.durationMs, Math.max(0, Math.round((from + delta) / MINUTE) * MINUTE));
    }
    event.preventDefault();
    event.stopPropagation();
    this.scrubber.value = String(target);
    this.showClock(target);
    this.hold(target);
    this.actions.seek(target);
  }

  private hold(target: number): void {
    this.held = { target, until: performance.now() + 2000 };
  }

  private showClock(positionMs: number): void {
    this.clock.dataset.positionMs = String(Math.floor(positionMs));
    const kyiv = localTime(this.startMs, positionMs, KYIV, true);
    this.clock.replaceChildren(
      `${t('kyiv', this.lang)} ${kyiv} · ${t('warsaw', this.lang)} ${localTime(this.startMs, positionMs, WARSAW)}`,
      h('span', { class: 'elapsed' }, ` · ${t('elapsed', this.lang)} ${elapsed(positionMs)}`),
    );
    this.shareLink.href = this.shareHref(positionMs);
    this.scrubber.setAttribute('aria-valuetext', `${t('kyiv', this.lang)} ${localTime(this.startMs, positionMs, KYIV)}, ${kyivDate(this.startMs + positionMs, this.lang)}`);
  }

  private histogram(events: readonly ScenarioEvent[]): SVGSVGElement {
    const counts = new Array<number>(BINS).fill(0);
    for (const e of events) counts[Math.min(BINS - 1, Math.floor((e.atMs / Math.max(1, this.durationMs)) * BINS))]! += 1;
    const max = Math.max(1, ...counts);
    const svg = s('svg', { class: 'histogram', viewBox: `0 0 ${BINS} 40`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    counts.forEach((n, i) => svg.append(s('rect', { x: i + 0.1, width: 0.8, y: 40 - (n / max) * 40, height: (n / max) * 40 })));
    return svg;
  }

  /** Key moments of the night, as buttons named in the page's language that jump to them. */
  private markers(events: readonly ScenarioEvent[], controllable: boolean): HTMLElement {
    const lang = this.lang;
    const found: Marker[] = [];
    const firstAlert = events.find((e) => e.type === 'alert.start');
    if (firstAlert) found.push({ atMs: firstAlert.atMs, label: t('markerFirstAlert', lang), kind: 'alert' });
    for (const e of events) {
      if (e.type === 'jets.scrambled') found.push({ atMs: e.atMs, label: t('markerJets', lang), kind: 'jets' });
      if (e.type === 'siren.start') found.push({ atMs: e.atMs, label: t('markerSirens', lang), kind: 'siren' });
      if (e.type === 'impact' && e.region && ((e.injured ?? 0) > 0 || e.target === 'rail')) {
        found.push({ atMs: e.atMs, label: t('markerHit', lang, { region: regionByCode(e.region)?.name[lang] ?? e.region }), kind: 'hit' });
      }
    }
    const ends = events.filter((e) => e.type === 'alert.end');
    if (ends.length) found.push({ atMs: ends[ends.length - 1]!.atMs, label: t('markerAllClear', lang), kind: 'clear' });
    const box = h('div', { class: 'markers', role: 'group', 'aria-label': t('markers', lang) });
    for (const m of found.sort((a, b) => a.atMs - b.atMs)) {
      const label = `${localTime(this.startMs, m.atMs, KYIV)} ${m.label}`;
      const mark = h('button', { type: 'button', class: `marker ${m.kind}`, 'data-at-ms': m.atMs, 'aria-label': label, title: label, disabled: !controllable });
      mark.style.left = `${((m.atMs / Math.max(1, this.durationMs)) * 100).toFixed(2)}%`;
      mark.addEventListener('click', () => this.actions.seek(m.atMs));
      box.append(mark);
    }
    return box;
  }
}
