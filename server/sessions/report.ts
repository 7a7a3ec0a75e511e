/**
 * The drill report: per trainee and per alert of its region, the time from the alert to the
 * shelter answer in real seconds (the headline: what the trainee lived) and in scenario time;
 * alerts left unanswered are missed. Median and slowest are over real times; the histogram
 * buckets real seconds the way a class is debriefed (under 10 s, under 20 s, … over 2 min).
 */
import type { z } from 'zod';
import type { drillReportSchema } from '../contract/wire.ts';
import { regionByCode } from '../domain/regions/index.ts';
import { formatIsoInZone } from '../domain/time.ts';
import type { Session } from './session.ts';

export type DrillReport = z.infer<typeof drillReportSchema>;

/** Upper bounds of the histogram's buckets, in seconds; the last bucket is open. */
export const HISTOGRAM_BOUNDS_S = [10, 20, 30, 60, 120] as const;

const median = (sorted: readonly number[]) => (sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : null);

export function drillReport(session: Session, nowMs: number): DrillReport {
  const { scenario } = session;
  const participants = session.requireDrill().participants.all();
  const rows = participants.flatMap((p) =>
    p.responses.map((r) => ({
      participantId: p.participantId,
      name: p.name,
      region: p.region,
      regionName: regionByCode(p.region)?.name.en ?? p.region,
      alertAtMs: r.alertAtMs,
      alertTime: formatIsoInZone(scenario.startMs + r.alertAtMs, scenario.timeZone),
      responseMs: r.responseMs,
      responseWallMs: r.responseWallMs,
      missed: r.responseMs === null,
    })),
  );
  const scenarioTimes = rows.flatMap((r) => (r.responseMs === null ? [] : [r.responseMs])).sort((a, b) => a - b);
  const wallTimes = rows.flatMap((r) => (r.responseWallMs === null ? [] : [r.responseWallMs])).sort((a, b) => a - b);
  const histogram = [0, ...HISTOGRAM_BOUNDS_S].map((fromS, i) => {
    const toS = HISTOGRAM_BOUNDS_S[i] ?? null;
    return { fromS, toS, count: wallTimes.filter((ms) => ms >= fromS * 1000 && (toS === null || ms < toS * 1000)).length };
  });
  return {
    session: { id: session.id, kind: session.kind, scenarioId: scenario.id },
    generatedAt: new Date(nowMs).toISOString(),
    trainees: participants.length,
    alerts: rows.length,
    answered: wallTimes.length,
    missed: rows.length - wallTimes.length,
    medianResponseMs: median(scenarioTimes),
    medianResponseWallMs: median(wallTimes),
    slowestResponseWallMs: wallTimes.at(-1) ?? null,
    histogram,
    rows,
  };
}
