/**
 * The banner for the followed region, driven by the region's state at the current moment (not
 * by the events that happen to arrive), so it is right after a seek, a step, a reload or a
 * change of region: an alert in a Ukrainian region, an alert or sounding sirens in a Polish one.
 * It always says that this is a replay, of which date and moment. The state in words goes to a
 * live region once per change, and the siren tone sounds when the region comes under alert.
 */
import type { NightState } from '../../server/domain/state.ts';
import { regionByCode } from '../../server/domain/regions/index.ts';
import { h } from '../dom.ts';
import { t, type Lang } from '../i18n.ts';
import { KYIV, kyivDate, localTime, sinceText } from '../format.ts';

export interface AlertSource {
  readonly startMs: number;
  /** When the sirens now sounding in a region began (they carry no start in the state). */
  sirenSince(code: string, positionMs: number): number | undefined;
}

export class AlertBanner {
  readonly element: HTMLElement;
  /** The one live region for the followed region's state. */
  readonly live: HTMLElement;
  private readonly status: HTMLElement;
  private readonly replay: HTMLElement;
  private lastKey = '';

  constructor(private readonly night: AlertSource) {
    this.status = h('strong', { class: 'banner-status' });
    this.replay = h('span', { class: 'banner-replay', 'data-testid': 'replay-note' });
    this.element = h('div', { class: 'banner', 'data-testid': 'alert-banner', 'data-state': 'none' }, this.status, this.replay);
    this.live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'announcer' });
  }

  /**
   * Called each frame with the current state; writes only what changed. Returns true when the
   * followed region has just come under alert (the caller sounds the siren).
   */
  update(state: NightState | undefined, positionMs: number, code: string, lang: Lang): boolean {
    const start = this.night.startMs;
    const replay = t('replayOf', lang, { date: kyivDate(start + positionMs, lang), time: localTime(start, positionMs, KYIV) });
    if (this.replay.textContent !== replay) this.replay.textContent = replay;
    const region = code ? state?.regions[code] : undefined;
    const name = regionByCode(code)?.name[lang] ?? code;
    let kind: 'alert' | 'siren' | 'calm' | 'none' = 'none';
    let sinceMs: number | undefined;
    if (region?.alert) [kind, sinceMs] = ['alert', region.alert.sinceMs];
    else if (region?.siren) [kind, sinceMs] = ['siren', this.night.sirenSince(code, positionMs)];
    else if (region) kind = 'calm';
    const key = `${lang}|${code}|${kind}|${sinceMs}`;
    if (key === this.lastKey) return false;
    const wasAlarm = this.lastKey.split('|')[1] === code && /\|(alert|siren)\|/.test(this.lastKey);
    this.lastKey = key;
    let text = '';
    if (kind === 'alert' || kind === 'siren') {
      const state = t(kind === 'alert' ? 'underAlert' : 'sirensSounding', lang);
      text = sinceMs === undefined ? `${state}: ${name}` : t('alertSince', lang, { state, region: name, since: sinceText(start, sinceMs, positionMs, lang) });
    } else if (kind === 'calm') text = t('noAlertIn', lang, { region: name });
    this.status.textContent = text;
    this.status.hidden = kind === 'none';
    this.element.dataset.state = kind;
    this.element.className = `banner ${kind === 'alert' || kind === 'siren' ? 'alert' : kind === 'calm' ? 'clear' : ''}`;
    this.element.dataset.follow = code;
    if (text) this.live.textContent = `${text}. ${replay}.`;
    return (kind === 'alert' || kind === 'siren') && !wasAlarm;
  }
}
