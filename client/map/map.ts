/**
 * The SVG map: regions (with the stable test hooks `data-region`, `data-state`, `data-siren`),
 * neighbouring countries drawn faintly, launch sites and places abroad as points, tracked groups
 * moving between their reported positions, and impacts by target kind. Built once; each frame
 * only changes the attributes of what changed. The regions are one tab stop (arrow keys move
 * between neighbours, see keys.ts); place labels that would leave the map or cover another are
 * dropped when the map is laid out.
 */
import type { ScenarioEvent } from '../../server/domain/events.ts';
import { REGIONS, regionByCode } from '../../server/domain/regions/index.ts';
import { REGION_FEATURES } from '../../server/domain/regions/geometry.ts';
import type { NightState, RegionState, Track } from '../../server/domain/state.ts';
import { h, s } from '../dom.ts';
import { pick, t, type Lang } from '../i18n.ts';
import { sinceText } from '../format.ts';
import { placeName } from './places.ts';
import { MAP_HEIGHT, MAP_WIDTH, contextFeatures, makeProjection, pathFor } from './projection.ts';
import { RegionKeys } from './keys.ts';

interface TrackMark {
  readonly group: SVGGElement;
  readonly label: SVGTextElement;
  from: [number, number];
  to: [number, number];
  fromMs: number;
  toMs: number;
}

const TARGET_SYMBOL: Record<string, string> = { energy: '⚡', rail: '▥', residential: '⌂', industrial: '▣', port: '⚓', other: '✕' };

export class NightMap {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly projection = makeProjection();
  private readonly regionEls = new Map<string, SVGPathElement>();
  private readonly rendered = new Map<string, RegionState>();
  private readonly trackLayer: SVGGElement;
  private readonly impactLayer: SVGGElement;
  private readonly tracks = new Map<string, TrackMark>();
  private readonly info: HTMLElement;
  private shownImpacts = -1;
  /** Every reported position of every track in the scenario, in time order: where each group goes next. */
  private readonly routes = new Map<string, Array<{ atMs: number; position: readonly [number, number] }>>();
  private lastState: NightState | undefined;
  private focused: string | undefined;
  private positionMs = 0;
  private readonly labels: SVGTextElement[] = [];

  constructor(
    private readonly lang: Lang,
    private readonly reducedMotion: boolean,
    private readonly startMs: number,
  ) {
    const path = pathFor(this.projection);
    this.svg = s('svg', { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, role: 'group', 'aria-label': t('mapLabel', lang), class: 'map' });
    const defs = s('defs');
    const hatch = s('pattern', { id: 'alert-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    hatch.append(s('rect', { width: 8, height: 8, class: 'hatch-bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch-line' }));
    defs.append(hatch);
    this.svg.append(defs);

    const context = s('g', { class: 'context', 'aria-hidden': 'true' });
    for (const f of contextFeatures()) context.append(s('path', { d: path(f) ?? '', class: 'country' }));
    this.svg.append(context);

    const regions = s('g', { class: 'regions', role: 'group', 'aria-label': t('mapRegions', lang) });
    for (const region of REGIONS) {
      const f = REGION_FEATURES.get(region.code);
      if (!f) continue;
      const el = s('path', {
        d: path(f) ?? '',
        class: `region ${region.country === 'PL' ? 'pl' : 'ua'}`,
        'data-region': region.code,
        'data-state': 'calm',
        ...(region.country === 'PL' ? { 'data-siren': 'off' } : {}),
        tabindex: -1,
        role: 'button',
        'aria-label': region.name[lang],
      });
      el.addEventListener('pointerenter', () => this.showInfo(region.code));
      el.addEventListener('focus', () => this.showInfo(region.code));
      el.addEventListener('click', () => this.showInfo(region.code));
      el.addEventListener('pointerleave', () => this.showInfo(undefined));
      el.addEventListener('blur', () => this.showInfo(undefined));
      this.regionEls.set(region.code, el);
      regions.append(el);
    }
    this.svg.append(regions);
    new RegionKeys(this.regionEls, (code) => this.centre(code));
    this.impactLayer = s('g', { class: 'impacts', 'aria-hidden': 'true' });
    this.trackLayer = s('g', { class: 'tracks', 'aria-hidden': 'true' });
    this.svg.append(this.impactLayer, this.trackLayer);
    // Not a live region: the focused region's own name says the same, once.
    this.info = h('div', { class: 'map-info', 'aria-hidden': 'true' });
    this.element = h('figure', { class: 'map-figure' }, this.svg, this.info, h('figcaption', { class: 'credit' }, t('credit', lang)));
  }

  /** The scenario's reported track positions, so groups can move between one report and the next. */
  setRoutes(events: readonly ScenarioEvent[]): void {
    for (const e of events) {
      if (e.type !== 'threat.move') continue;
      const list = this.routes.get(e.trackId) ?? [];
      list.push({ atMs: e.atMs, position: [e.position[0], e.position[1]] });
      this.routes.set(e.trackId, list);
    }
  }

  /** Launch sites and other places outside both countries, as faint points with short names. */
  drawPlaces(events: readonly ScenarioEvent[]): void {
    const layer = s('g', { class: 'places', 'aria-hidden': 'true' });
    const seen = new Set<string>();
    const named = new Set<string>();
    for (const e of events) {
      const found = e.type === 'launch' ? { name: e.from.name, position: e.from.position } : e.type === 'impact' && !e.region && e.position ? { name: e.place, position: e.position } : undefined;
      const place = found && { name: found.name.en, local: found.name[this.lang], position: found.position };
      if (!place || seen.has(place.name)) continue;
      seen.add(place.name);
      const xy = this.projection([place.position[0], place.position[1]]);
      if (!xy) continue;
      layer.append(s('circle', { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 3, class: e.type === 'launch' ? 'site' : 'abroad' }));
      // A short name from the gazetteer, else the first words of the scenario's own name in this language (none: no label).
      const short = placeName(place.name);
      const text = short?.name[this.lang] ?? place.local?.split(/[,(:]/)[0]!.trim();
      const key = short?.key ?? text;
      if (!text || !key || named.has(key)) continue;
      named.add(key);
      const label = s('text', { x: xy[0].toFixed(1), y: xy[1].toFixed(1), class: 'place-label', 'data-x': xy[0], 'data-y': xy[1] }, text);
      this.labels.push(label);
      layer.append(label);
    }
    this.svg.insertBefore(layer, this.impactLayer);
  }

  /**
   * Once the map is in the document (text can be measured): each label goes beside its point
   * where it fits inside the map without touching one already placed; one that fits nowhere is hidden.
   */
  layoutLabels(): void {
    const placed: DOMRect[] = [];
    const overlaps = (a: DOMRect) => placed.some((b) => a.x < b.x + b.width + 2 && b.x < a.x + a.width + 2 && a.y < b.y + b.height + 1 && b.y < a.y + a.height + 1);
    for (const label of this.labels) {
      const x = Number(label.dataset.x);
      const y = Number(label.dataset.y);
      label.removeAttribute('visibility');
      let fits = false;
      for (const [dx, dy, anchor] of [[5, -4, 'start'], [-5, -4, 'end'], [5, 11, 'start'], [-5, 11, 'end']] as const) {
        label.setAttribute('x', (x + dx).toFixed(1));
        label.setAttribute('y', (y + dy).toFixed(1));
        label.setAttribute('text-anchor', anchor);
        const box = label.getBBox();
        if (box.width === 0) break;
        if (box.x < 2 || box.y < 2 || box.x + box.width > MAP_WIDTH - 2 || box.y + box.height > MAP_HEIGHT - 2 || overlaps(box)) continue;
        placed.push(box);
        fits = true;
        break;
      }
      if (!fits) label.setAttribute('visibility', 'hidden');
    }
  }

  /** Applies a state: only regions whose state object changed are touched (states are immutable). */
  renderState(state: NightState): void {
    this.lastState = state;
    for (const [code, region] of Object.entries(state.regions)) {
      if (this.rendered.get(code) === region) continue;
      this.rendered.set(code, region);
      const el = this.regionEls.get(code);
      if (!el) continue;
      el.setAttribute('data-state', region.alert ? 'alert' : 'calm');
      el.setAttribute('aria-label', this.describe(code, region));
      if (region.country === 'PL') {
        el.setAttribute('data-siren', region.siren ? 'on' : 'off');
        if (region.sirenErroneous) el.setAttribute('data-siren-erroneous', 'true');
        else el.removeAttribute('data-siren-erroneous');
      }
    }
    this.syncTracks(state.tracks);
    if (this.focused) this.showInfo(this.focused);
  }

  /** Impacts up to now, drawn by target kind. */
  renderImpacts(impacts: ReadonlyArray<Extract<ScenarioEvent, { type: 'impact' }>>): void {
    if (impacts.length === this.shownImpacts) return;
    this.shownImpacts = impacts.length;
    this.impactLayer.replaceChildren();
    for (const e of impacts) {
      const lonLat = e.position ?? (e.region ? regionByCode(e.region)?.centroid : undefined);
      const xy = lonLat && this.projection([lonLat[0], lonLat[1]]);
      if (!xy) continue;
      const mark = s('text', { x: xy[0].toFixed(1), y: xy[1].toFixed(1), class: `impact ${e.debris ? 'debris' : ''} target-${e.target}` }, TARGET_SYMBOL[e.target] ?? '✕');
      mark.append(s('title', {}, pick(e.text, this.lang)));
      this.impactLayer.append(mark);
    }
  }

  /** Moves each group from its last reported position towards its next one, for the current position. */
  animate(positionMs: number): void {
    for (const mark of this.tracks.values()) {
      let [x, y] = mark.from;
      if (!this.reducedMotion && mark.toMs > mark.fromMs) {
        const k = Math.min(1, Math.max(0, (positionMs - mark.fromMs) / (mark.toMs - mark.fromMs)));
        x += (mark.to[0] - mark.from[0]) * k;
        y += (mark.to[1] - mark.from[1]) * k;
      }
      mark.group.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
    }
  }

  private syncTracks(tracks: NightState['tracks']): void {
    for (const [id, mark] of this.tracks) {
      if (!tracks[id]) {
        mark.group.remove();
        this.tracks.delete(id);
      }
    }
    for (const track of Object.values(tracks)) this.updateTrack(track);
  }

  private updateTrack(track: Track): void {
    const xy = this.projection([track.position[0], track.position[1]]);
    if (!xy) return;
    let mark = this.tracks.get(track.trackId);
    if (!mark) {
      const label = s('text', { x: 7, y: 4, class: 'track-count' });
      const group = s('g', { class: `track threat-${track.threat}`, 'data-track': track.trackId }, s('circle', { r: track.threat === 'drone' ? 4 : 5 }), label);
      this.trackLayer.append(group);
      mark = { group, label, from: [xy[0], xy[1]], to: [xy[0], xy[1]], fromMs: -1, toMs: -1 };
      this.tracks.set(track.trackId, mark);
    }
    if (mark.fromMs !== track.atMs) {
      // From this report to the next one the scenario holds (none: the group stays where it is).
      const next = this.routes.get(track.trackId)?.find((r) => r.atMs > track.atMs);
      const nextXy = next && this.projection([next.position[0], next.position[1]]);
      mark.from = [xy[0], xy[1]];
      mark.fromMs = track.atMs;
      mark.to = nextXy ? [nextXy[0], nextXy[1]] : [xy[0], xy[1]];
      mark.toMs = next && nextXy ? next.atMs : track.atMs;
    }
    mark.label.textContent = String(track.count);
  }

  /** A region's name and state in words: its accessible name and the info line. */
  private describe(code: string, state: RegionState | undefined): string {
    let text = regionByCode(code)?.name[this.lang] ?? code;
    if (state?.alert) text += ` — ${t('underAlert', this.lang)} ${t('sinceTime', this.lang, { time: sinceText(this.startMs, state.alert.sinceMs, this.positionMs, this.lang) })}`;
    if (state?.siren) text += ` — ${t('sirensSounding', this.lang)}${state.sirenErroneous ? ` (${t('erroneous', this.lang)})` : ''}`;
    return text;
  }

  private showInfo(code: string | undefined): void {
    this.focused = code;
    this.refreshInfo(this.positionMs);
  }

  /** The info line for the region under the pointer or focus, with how long its alert has lasted; written only when it changes. */
  refreshInfo(positionMs: number): void {
    this.positionMs = positionMs;
    const code = this.focused;
    const state = code ? this.lastState?.regions[code] : undefined;
    let text = code ? this.describe(code, state) : '';
    // An alert begun before the night already shows its date: a count of hours would say nothing.
    if (state?.alert && state.alert.sinceMs >= 0) {
      const minutes = Math.max(0, Math.floor((positionMs - state.alert.sinceMs) / 60_000));
      text += ` · ${t('since', this.lang)} ${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
    }
    if (this.info.textContent !== text) this.info.textContent = text;
  }

  /** Where a region's label point lies on the map, for moving between neighbours by arrow key. */
  private centre(code: string): [number, number] | undefined {
    const c = regionByCode(code)?.centroid;
    const xy = c && this.projection([c[0], c[1]]);
    return xy ? [xy[0], xy[1]] : undefined;
  }
}
