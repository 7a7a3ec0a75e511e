/** The drill report as CSV for a spreadsheet (the report itself is the sessions layer's). */
import type { DrillReport } from '../../sessions/report.ts';

/** RFC 4180 CSV; fields that a spreadsheet would run as a formula are defused with a quote. */
export function reportCsv(report: DrillReport): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const header = ['participant_id', 'name', 'region', 'region_name', 'alert_at_ms', 'alert_time', 'response_s', 'response_ms', 'response_wall_ms', 'missed'];
  const lines = report.rows.map((r) =>
    [r.participantId, r.name, r.region, r.regionName, r.alertAtMs, r.alertTime, r.responseWallMs === null ? null : (r.responseWallMs / 1000).toFixed(1), r.responseMs, r.responseWallMs, r.missed ? 'yes' : 'no']
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
