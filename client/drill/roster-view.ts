/**
 * The roster on the console: one row per trainee, with region, connection and state (waiting,
 * alerted, in the shelter with the real response time, missed). Names are text, never markup.
 */
import type { Roster } from '../../server/contract/session.ts';
import { regionByCode } from '../../server/domain/regions/index.ts';
import { h } from '../dom.ts';
import { pick, t, type Lang } from '../i18n.ts';

export function rosterView(participants: Roster['participants'], lang: Lang): HTMLElement {
  const rows = participants.map((p) => {
    const last = p.responses.at(-1);
    const state =
      p.state === 'sheltered'
        ? t('stateSheltered', lang, { s: ((last?.responseWallMs ?? 0) / 1000).toFixed(1) })
        : t(p.state === 'alerted' ? 'stateAlerted' : p.state === 'missed' ? 'stateMissed' : 'stateWaiting', lang);
    return h(
      'tr',
      { 'data-participant': p.participantId, 'data-state': p.state, class: `state-${p.state}` },
      h('td', {}, p.name),
      h('td', {}, pick(regionByCode(p.region)?.name ?? { en: p.region }, lang)),
      h('td', {}, t(p.connected ? 'connected' : 'disconnected', lang)),
      h('td', { 'data-testid': 'roster-state' }, state),
    );
  });
  return h(
    'table',
    { class: 'roster', 'data-testid': 'roster' },
    h('caption', {}, t('roster', lang)),
    h('thead', {}, h('tr', {}, ...[t('nameCol', lang), t('region', lang), t('connection', lang), t('state', lang)].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows),
  );
}
