/**
 * The timeline: a scrubber across the whole night over a histogram of event density, with
 * markers for key moments; play and pause, step, speed, loop; the real time in Kyiv and Warsaw
 * and the time elapsed. It carries the stable hooks `clock`, `scrubber`, `speed` and the
 * `data-action` buttons.
 */
import type { ScenarioEvent } from '../../server/domain/events.ts';
import { h, s } from '../dom.ts';
import { t, type Lang } from '../i18n.ts';
import { KYIV, WARSAW, elapsed, localTime } from '../format.ts';

export const SPEEDS = [1, 10, 60, 600, 3600] as const;
const BINS = 120;

export interface TimelineActions {
  play(): void;
  pause(): void;
  step(direction: 1 | -1): void;
  seek(positionMs: number): void;
  speed(speed: number): void;
  loop(on: boolean): void;
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
  private dragging = false;
  private lastShown = -1;

  constructor(
    private readonly lang: Lang,
    private readonly startMs: number,
    private readonly durationMs: number,
    events: readonly ScenarioEvent[],
    private readonly actions: TimelineActions,
    controllable: boolean,
  ) {
    this.scrubber = h('input', { type: 'range', min: 0, max: durationMs, step: 1000, value: 0, 'data-testid': 'scrubber', 'aria-label': 'Position in the night', disabled: !controllable });
    this.scrubber.addEventListener('pointerdown', () => (this.dragging = true));
    this.scrubber.addEventListener('input', () => {
      this.dragging = true;
      this.showClock(Number(this.scrubber.value));
    });
    this.scrubber.addEventListener('change', () => {
      this.dragging = false;
      actions.seek(Number(this.scrubber.value));
    });
    this.clock = h('div', { class: 'clock', 'data-testid': 'clock', 'data-position-ms': 0, 'aria-live': 'off' });
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

    this.element = h(
      'section',
      { class: 'timeline', 'aria-label': 'Timeline' },
      h('div', { class: 'track-area' }, this.histogram(events), this.markers(events), this.scrubber),
      h('div', { class: 'controls' }, back, this.playButton, this.pauseButton, forward, this.speedSelect, loopLabel, this.clock),
    );
  }

  /** Per frame: the clock text and the scrubber, unless the user is dragging it. */
  show(positionMs: number, playing: boolean, speed: number, loop: boolean): void {
    this.playButton.hidden = playing;
    this.pauseButton.hidden = !playing;
    if (document.activeElement !== this.speedSelect) this.speedSelect.value = String(speed);
    this.loopBox.checked = loop;
    if (this.dragging) return;
    const whole = Math.floor(positionMs / 1000) * 1000;
    if (whole === this.lastShown) return;
    this.lastShown = whole;
    this.scrubber.value = String(whole);
    this.showClock(positionMs);
  }

  private showClock(positionMs: number): void {
    this.clock.dataset.positionMs = String(Math.floor(positionMs));
    this.clock.textContent = `${t('kyiv', this.lang)} ${localTime(this.startMs, positionMs, KYIV, true)} · ${t('warsaw', this.lang)} ${localTime(this.startMs, positionMs, WARSAW)} · ${t('elapsed', this.lang)} ${elapsed(positionMs)}`;
  }

  private histogram(events: readonly ScenarioEvent[]): SVGSVGElement {
    const counts = new Array<number>(BINS).fill(0);
    for (const e of events) counts[Math.min(BINS - 1, Math.floor((e.atMs / Math.max(1, this.durationMs)) * BINS))]! += 1;
    const max = Math.max(1, ...counts);
    const svg = s('svg', { class: 'histogram', viewBox: `0 0 ${BINS} 40`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    counts.forEach((n, i) => svg.append(s('rect', { x: i + 0.1, width: 0.8, y: 40 - (n / max) * 40, height: (n / max) * 40 })));
    return svg;
  }

  private markers(events: readonly ScenarioEvent[]): HTMLElement {
    const found: Marker[] = [];
    const firstAlert = events.find((e) => e.type === 'alert.start');
    if (firstAlert) found.push({ atMs: firstAlert.atMs, label: 'first alert', kind: 'alert' });
    for (const e of events) {
      if (e.type === 'jets.scrambled') found.push({ atMs: e.atMs, label: 'jets scrambled', kind: 'jets' });
      if (e.type === 'siren.start') found.push({ atMs: e.atMs, label: 'sirens', kind: 'siren' });
      if (e.type === 'impact' && e.region && ((e.injured ?? 0) > 0 || e.target === 'rail')) found.push({ atMs: e.atMs, label: e.place.en, kind: 'hit' });
    }
    const ends = events.filter((e) => e.type === 'alert.end');
    if (ends.length) found.push({ atMs: ends[ends.length - 1]!.atMs, label: 'all clear', kind: 'clear' });
    const box = h('div', { class: 'markers', 'aria-hidden': 'true' });
    for (const m of found) {
      const left = `${((m.atMs / Math.max(1, this.durationMs)) * 100).toFixed(2)}%`;
      const mark = h('span', { class: `marker ${m.kind}`, title: `${localTime(this.startMs, m.atMs, KYIV)} ${m.label}` });
      mark.style.left = left;
      box.append(mark);
    }
    return box;
  }
}
