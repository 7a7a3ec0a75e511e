/**
 * The feed: events in time order, in the chosen language, with the source of each as a link.
 * Group positions (566 of the seed night's 798 events) are drawn on the map and left out of the
 * feed unless asked for; "reconstructed" is a quiet mark whose note opens on demand; a filter
 * also lists the matches later in the night, each a button to jump there; the sources panel
 * lists every source with how many events it backs. Text is set as text only.
 */
import type { Source } from '../../server/domain/scenario.ts';
import type { ScenarioEvent } from '../../server/domain/events.ts';
import { EVENT_TYPES } from '../../server/domain/kinds.ts';
import { eventRegion } from '../../server/domain/event-fields.ts';
import { REGIONS } from '../../server/domain/regions/index.ts';
import { h } from '../dom.ts';
import { noteText, pick, plural, t, typeName, type Lang } from '../i18n.ts';
import { KYIV, WARSAW, localTime } from '../format.ts';

/** Items the feed keeps in the page: enough to read back, few enough to stay fast at 3600x. */
const MAX_ITEMS = 400;
/** Matches later in the night listed under a filter. */
const MAX_LATER = 60;

export type FeedEvent = ScenarioEvent & { seq?: number };
export type FeedItem = { event: FeedEvent; seq: number };

export class FeedView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly later: HTMLElement;
  private readonly typeFilter: HTMLSelectElement;
  private readonly regionFilter: HTMLSelectElement;
  private readonly groupsBox: HTMLInputElement;
  private readonly sources: Map<string, Source>;
  items: FeedItem[] = [];

  constructor(
    private readonly lang: Lang,
    private readonly startMs: number,
    private readonly sourceList: readonly Source[],
    private readonly night: readonly ScenarioEvent[],
    private readonly seek: (positionMs: number) => void,
  ) {
    this.sources = new Map(sourceList.map((s) => [s.id, s]));
    this.list = h('ol', { class: 'feed', 'data-testid': 'feed', 'aria-label': t('feed', lang) });
    this.later = h('section', { class: 'later', hidden: true, 'aria-label': t('laterMatches', lang) });
    this.typeFilter = h('select', { 'aria-label': t('filterType', lang), 'data-testid': 'type-filter' }, h('option', { value: '' }, t('allTypes', lang)));
    const present = new Set(night.map((e) => e.type));
    for (const type of EVENT_TYPES.filter((x) => present.has(x))) this.typeFilter.append(h('option', { value: type }, typeName(type, lang)));
    this.regionFilter = h('select', { 'aria-label': t('filterRegion', lang), 'data-testid': 'region-filter' }, h('option', { value: '' }, t('allRegions', lang)));
    for (const r of REGIONS) this.regionFilter.append(h('option', { value: r.code }, r.name[lang]));
    this.groupsBox = h('input', { type: 'checkbox', 'data-testid': 'show-groups' });
    for (const control of [this.typeFilter, this.regionFilter, this.groupsBox]) control.addEventListener('change', () => this.redraw());
    this.element = h(
      'section',
      { class: 'feed-panel', 'aria-labelledby': 'feed-title' },
      h('h2', { id: 'feed-title' }, t('feed', lang)),
      h('div', { class: 'filters' }, this.typeFilter, this.regionFilter, h('label', { class: 'groups' }, this.groupsBox, ` ${t('showGroups', lang)}`)),
      this.list,
      this.later,
      this.sourcesPanel(),
    );
  }

  /** After a snapshot: the events before the position, then live ones appended. */
  reset(events: readonly FeedEvent[], snapshotSeq: number): void {
    this.items = events.map((event) => ({ event, seq: event.seq ?? snapshotSeq }));
    this.redraw();
  }

  /** A feed built anew (a language switch) takes over the items of the one it replaces. */
  adopt(items: FeedItem[]): void {
    this.items = items;
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
    if (!this.later.hidden && events.length) this.drawLater();
  }

  private filtering(): boolean {
    return this.typeFilter.value !== '' || this.regionFilter.value !== '';
  }

  private redraw(): void {
    this.list.replaceChildren(...this.items.filter((i) => this.passes(i.event)).map((i) => this.render(i)));
    this.list.scrollTop = this.list.scrollHeight;
    this.drawLater();
  }

  /** Under a filter: the matches still to come in the night, each a jump to its moment. */
  private drawLater(): void {
    this.later.hidden = !this.filtering();
    if (this.later.hidden) return this.later.replaceChildren();
    const playedUpTo = this.items.at(-1)?.event.atMs ?? -1;
    const matches = this.night.filter((e) => e.atMs > playedUpTo && this.passes(e)).slice(0, MAX_LATER);
    this.later.replaceChildren(
      h('h3', {}, t('laterMatches', this.lang)),
      h('ol', { class: 'later-list', 'data-testid': 'later' }, ...matches.map((e) => {
        const time = localTime(this.startMs, e.atMs, KYIV);
        const jump = h('button', { type: 'button', class: 'jump', 'data-at-ms': e.atMs, 'aria-label': `${t('jumpTo', this.lang, { time })}: ${pick(e.text, this.lang)}` }, time);
        jump.addEventListener('click', () => this.seek(e.atMs));
        return h('li', { 'data-type': e.type }, jump, ' ', h('span', { class: 'text' }, pick(e.text, this.lang)));
      })),
    );
  }

  private passes(event: FeedEvent): boolean {
    const type = this.typeFilter.value;
    const region = this.regionFilter.value;
    if (event.type === 'threat.move' && !this.groupsBox.checked && type !== 'threat.move') return false;
    return (!type || event.type === type) && (!region || eventRegion(event) === region);
  }

  private render({ event, seq }: FeedItem): HTMLLIElement {
    const lang = this.lang;
    const polish = eventRegion(event)?.startsWith('PL-') || ('country' in event && event.country === 'PL');
    const time = `${localTime(this.startMs, event.atMs, KYIV)}${polish ? ` (${t('warsaw', lang)} ${localTime(this.startMs, event.atMs, WARSAW)})` : ''}`;
    const li = h('li', { 'data-seq': seq, 'data-type': event.type, class: `item type-${event.type.replace('.', '-')}` }, h('time', {}, time), ' ', h('span', { class: 'text' }, pick(event.text, lang)));
    if (event.reconstructed) li.append(' ', this.reconstructedMark(noteText(event.note, lang)));
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

  /** A quiet "≈"; with a note, a disclosure that shows how the event was reconstructed. */
  private reconstructedMark(note: string | undefined): HTMLElement {
    const hint = t('reconstructedHint', this.lang);
    if (!note) return h('span', { class: 'reconstructed', title: hint }, h('span', { 'aria-hidden': 'true' }, '≈'), h('span', { class: 'sr-only' }, hint));
    return h('details', { class: 'reconstructed' }, h('summary', { title: hint, 'aria-label': `${hint}. ${t('howReconstructed', this.lang)}` }, '≈'), h('span', { class: 'note' }, note));
  }

  /** Every source of the night, with what it backs. */
  private sourcesPanel(): HTMLElement {
    const backed = new Map<string, number>();
    for (const e of this.night) for (const id of new Set([e.source, ...(e.basis ?? [])])) if (id) backed.set(id, (backed.get(id) ?? 0) + 1);
    const items = this.sourceList.map((s) =>
      h('li', {}, h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.publisher), ` — ${s.title} `, h('span', { class: 'backs' }, `(${t('backs', this.lang)} ${plural('events', backed.get(s.id) ?? 0, this.lang)})`)),
    );
    return h('details', { class: 'sources', 'data-testid': 'sources' }, h('summary', {}, `${t('sources', this.lang)} (${this.sourceList.length})`), h('ol', {}, ...items));
  }
}
