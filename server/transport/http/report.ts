/**
 * The drill report: for each trainee, every alert in their region and how long they took to
 * report being in the shelter. JSON, or CSV for a spreadsheet.
 */
import type { z } from 'zod';
import type { drillReportSchema } from '../../contract/wire.ts';
import type { Session } from '../../sessions/session.ts';
import { formatIsoInZone } from '../../domain/time.ts';

export type DrillReport = z.infer<typeof drillReportSchema>;

export function drillReport(session: Session, nowMs: number): DrillReport {
  const { scenario } = session;
  const participants = session.participants.all();
  const rows = participants.flatMap((p) =>
    p.responses.map((r) => ({
      participantId: p.participantId,
      name: p.name,
      region: p.region,
      alertAtMs: r.alertAtMs,
      alertTime: formatIsoInZone(scenario.startMs + r.alertAtMs, scenario.timeZone),
      responseMs: r.responseMs,
      responseWallMs: r.responseWallMs,
    })),
  );
  const answered = rows.flatMap((r) => (r.responseMs === null ? [] : [r.responseMs])).sort((a, b) => a - b);
  return {
    session: { id: session.id, kind: session.kind, scenarioId: scenario.id },
    generatedAt: new Date(nowMs).toISOString(),
    trainees: participants.length,
    alerts: rows.length,
    answered: answered.length,
    medianResponseMs: answered.length ? answered[Math.floor((answered.length - 1) / 2)]! : null,
    rows,
  };
}

/** RFC 4180 CSV; fields that a spreadsheet would run as a formula are defused with a quote. */
export function reportCsv(report: DrillReport): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const header = ['participant_id', 'name', 'region', 'alert_at_ms', 'alert_time', 'response_ms', 'response_wall_ms'];
  const lines = report.rows.map((r) => [r.participantId, r.name, r.region, r.alertAtMs, r.alertTime, r.responseMs, r.responseWallMs].map(cell).join(','));
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
