/**
 * The drill report on the console: the headline figures (median and slowest real response
 * time, missed alerts), a histogram of response times, and one row per trainee and alert. The
 * same report comes as JSON and CSV from the API; the links here fetch them with the token.
 */
import type { z } from 'zod';
import type { drillReportSchema } from '../../server/contract/wire.ts';
import { asInstructor } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, t } from '../i18n.ts';

type DrillReport = z.infer<typeof drillReportSchema>;

const seconds = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(1));

export async function reportView(sessionId: string, token: string): Promise<HTMLElement> {
  const lang = currentLang();
  const report = await asInstructor<DrillReport>(`/api/sessions/${encodeURIComponent(sessionId)}/report`, token);
  const most = Math.max(1, ...report.histogram.map((b) => b.count));
  const histogram = h(
    'ol',
    { class: 'histogram', 'aria-label': t('responseTime', lang) },
    ...report.histogram.map((b) => {
      // Set through the CSSOM: the Content Security Policy refuses inline style attributes.
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${(b.count / most) * 100}%`;
      return h('li', {}, h('span', { class: 'bucket' }, b.toS === null ? `≥ ${b.fromS} s` : `${b.fromS}–${b.toS} s`), bar, h('span', { class: 'count' }, String(b.count)));
    }),
  );
  const rows = report.rows.map((r) =>
    h(
      'tr',
      { 'data-participant': r.participantId, 'data-missed': r.missed },
      h('td', {}, r.name),
      h('td', {}, r.regionName),
      h('td', {}, r.alertTime.slice(11, 19)),
      h('td', { class: 'num', 'data-testid': 'response-s' }, r.missed ? t('stateMissed', lang) : seconds(r.responseWallMs)),
      h('td', { class: 'num' }, seconds(r.responseMs)),
    ),
  );
  const download = (format: 'json' | 'csv') => {
    const link = h('button', { type: 'button' }, format.toUpperCase());
    link.addEventListener('click', () => {
      void fetch(`/api/sessions/${encodeURIComponent(sessionId)}/report?format=${format}`, { headers: { authorization: `Bearer ${token}` } })
        .then((res) => res.blob())
        .then((blob) => {
          const a = h('a', { href: URL.createObjectURL(blob), download: `drill-${sessionId}.${format}` });
          a.click();
          URL.revokeObjectURL(a.href);
        });
    });
    return link;
  };
  return h(
    'section',
    { class: 'report', 'data-testid': 'report' },
    h('h2', {}, t('report', lang)),
    h(
      'p',
      { class: 'headline' },
      `${t('median', lang)}: ${seconds(report.medianResponseWallMs)} s · ${t('slowest', lang)}: ${seconds(report.slowestResponseWallMs)} s · ${t('missed', lang)}: ${report.missed} / ${report.alerts}`,
    ),
    histogram,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...[t('nameCol', lang), t('region', lang), t('alertAt', lang), t('responseTime', lang), t('scenarioTime', lang)].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows),
    ),
    h('div', { class: 'actions' }, download('json'), download('csv')),
  );
}
