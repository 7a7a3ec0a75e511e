/**
 * How `air-raid-sim run` shows an event to a person: the time as people in Kyiv read it (and
 * Warsaw's for Polish events), the region by name, the text, and a mark on what is modelled.
 */
import { styleText } from 'node:util';
import { eventRegion, type ScenarioEvent } from '../domain/events.ts';
import { regionByCode } from '../domain/regions/index.ts';
import type { OpeningAlert } from '../domain/scenario.ts';
import { formatLocalTime, formatSince } from '../domain/time.ts';

export interface PrettyOptions {
  readonly timeZone: string;
  readonly startMs: number;
  readonly color: boolean;
}

type Style = Parameters<typeof styleText>[0];

const TYPE_STYLE: Partial<Record<ScenarioEvent['type'], Style>> = {
  'alert.start': 'red',
  'alert.end': 'green',
  'siren.start': 'magenta',
  'siren.end': 'green',
  impact: 'yellow',
  intercept: 'cyan',
  launch: 'red',
  'jets.scrambled': 'blue',
  statement: 'white',
  claim: 'gray',
};

const WARSAW = 'Europe/Warsaw';

function isPolish(event: ScenarioEvent): boolean {
  const region = eventRegion(event);
  if (region) return region.startsWith('PL-');
  return 'country' in event && event.country === 'PL';
}

export function formatPretty(event: ScenarioEvent, options: PrettyOptions): string {
  const paint = (style: Style | undefined, text: string) => (options.color && style ? styleText(style, text) : text);
  const epoch = options.startMs + event.atMs;
  const time = formatLocalTime(epoch, options.timeZone, true);
  const warsaw = isPolish(event) && options.timeZone !== WARSAW ? paint('gray', ` [Warsaw ${formatLocalTime(epoch, WARSAW)}]`) : '';
  const region = eventRegion(event);
  const where = region ? ` ${regionByCode(region)?.name.en ?? region} [${region}]` : '';
  const mark = event.reconstructed ? paint('gray', ' ≈reconstructed') : '';
  // "Reported by" only for a source that reports the event itself; a model's sources are its basis.
  const source = event.source ? paint('gray', ` (reported by ${event.source})`) : '';
  const basis = event.basis ? paint('gray', ` (derived from ${event.basis.join(', ')})`) : '';
  return `${paint('bold', time)}  ${paint(TYPE_STYLE[event.type], event.type.padEnd(16))}${where}  ${event.text.en}${warsaw}${mark}${source}${basis}`;
}

/** An alert already on when the replay begins, as `run` lists them before the first event. */
export function formatOpeningAlert(alert: OpeningAlert, options: PrettyOptions): string {
  const paint = (style: Style | undefined, text: string) => (options.color && style ? styleText(style, text) : text);
  const name = `${regionByCode(alert.region)?.name.en ?? alert.region} [${alert.region}]`;
  const since = formatSince(alert.since);
  const source = alert.source ? paint('gray', ` (reported by ${alert.source})`) : '';
  return `${paint('bold', formatLocalTime(options.startMs, options.timeZone, true))}  ${paint('red', 'under alert'.padEnd(16))} ${name}  under alert since ${since}${source}`;
}

