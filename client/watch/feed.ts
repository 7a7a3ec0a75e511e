/**
 * The feed: events in time order, in the chosen language, with the source of each as a link and
 * a visible mark on reconstructed ones; filters by type and region. Text is set as text only.
 */
import type { Source } from '../../server/domain/scenario.ts';
import type { ScenarioEvent } from '../../server/domain/events.ts';
import { eventRegion } from '../../server/domain/event-fields.ts';
import { REGIONS } from '../../server/domain/regions/index.ts';
import { h } from '../dom.ts';
import { pick, t, type Lang } from '../i18n.ts';
import { KYIV, WARSAW, localTime } from '../format.ts';

/** Items the feed keeps in the page: enough to read back, few enough to stay fast at 3600x. */
const MAX_ITEMS = 400;

type FeedEvent = ScenarioEvent & { seq?: number };

export class FeedView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly typeFilter: HTMLSelectElement;
  private readonly regionFilter: HTMLSelectElement;
  private readonly sources: Map<string, Source>;
  private items: Array<{ event: FeedEvent; seq: number }> = [];

  constructor(
    private lang: Lang,
    private readonly startMs: number,
    sources: readonly Source[],
  ) {
    this.sources = new Map(sources.map((s) => [s.id, s]));
    this.list = h('ol', { class: 'feed', 'data-testid': 'feed', 'aria-label': t('feed', lang) });
    this.typeFilter = h('select', { 'aria-label': 'Filter by type' }, h('option', { value: '' }, t('allTypes', lang)));
    for (const type of ['alert.start', 'alert.end', 'siren.start', 'launch', 'threat.move', 'intercept', 'impact', 'jets.scrambled', 'outage', 'statement', 'claim']) {
      this.typeFilter.append(h('option', { value: type }, type));
    }
    this.regionFilter = h('select', { 'aria-label': 'Filter by region' }, h('option', { value: '' }, t('allRegions', lang)));
    for (const r of REGIONS) this.regionFilter.append(h('option', { value: r.code }, r.name[lang]));
    this.typeFilter.addEventListener('change', () => this.redraw());
    this.regionFilter.addEventListener('change', () => this.redraw());
    this.element = h('section', { class: 'feed-panel', 'aria-label': t('feed', lang) }, h('h2', {}, t('feed', lang)), h('div', { class: 'filters' }, this.typeFilter, this.regionFilter), this.list);
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.redraw();
  }

  /** After a snapshot: the events before the position, then live ones appended. */
  reset(events: readonly FeedEvent[], snapshotSeq: number): void {
    this.items = events.map((event) => ({ event, seq: event.seq ?? snapshotSeq }));
    this.redraw();
  }

  append(events: readonly FeedEvent[]): void {
    const atBottom = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 40;
    const fragment = document.createDocumentFragment();
    for (const event of events) {
      const item = { event, seq: event.seq ?? 0 };
      this.items.push(item);
      if (this.passes(event)) fragment.append(this.render(item));
    }
    this.list.append(fragment);
    if (this.items.length > MAX_ITEMS) {
      this.items = this.items.slice(-MAX_ITEMS);
      while (this.list.childElementCount > MAX_ITEMS) this.list.firstElementChild?.remove();
    }
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }

  private redraw(): void {
    this.list.replaceChildren(...this.items.filter((i) => this.passes(i.event)).map((i) => this.render(i)));
    this.list.scrollTop = this.list.scrollHeight;
  }

  private passes(event: FeedEvent): boolean {
    const type = this.typeFilter.value;
    const region = this.regionFilter.value;
    return (!type || event.type === type) && (!region || eventRegion(event) === region);
  }

  private render({ event, seq }: { event: FeedEvent; seq: number }): HTMLLIElement {
    const polish = eventRegion(event)?.startsWith('PL-') || ('country' in event && event.country === 'PL');
    const time = `${localTime(this.startMs, event.atMs, KYIV)}${polish ? ` (${t('warsaw', this.lang)} ${localTime(this.startMs, event.atMs, WARSAW)})` : ''}`;
    const li = h('li', { 'data-seq': seq, 'data-type': event.type, class: `item type-${event.type.replace('.', '-')}` }, h('time', {}, time), ' ', h('span', { class: 'text' }, pick(event.text, this.lang)));
    if (event.reconstructed) li.append(' ', h('span', { class: 'reconstructed', title: t('reconstructedHint', this.lang) }, `≈ ${t('reconstructed', this.lang)}`));
    // "Reported by" only for what a source reports itself; a model's sources are what it drew on.
    const source = event.source ? this.sources.get(event.source) : undefined;
    if (source) li.append(' ', this.sourceLink(source, 'source'));
    for (const id of event.basis ?? []) {
      const basis = this.sources.get(id);
      if (basis) li.append(' ', this.sourceLink(basis, 'derivedFrom'));
    }
    return li;
  }

  private sourceLink(source: Source, label: 'source' | 'derivedFrom'): HTMLAnchorElement {
    return h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer', class: label === 'source' ? 'source' : 'source basis', title: source.title }, `${t(label, this.lang)}: ${source.publisher}`);
  }
}
