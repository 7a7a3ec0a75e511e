/**
 * The closed vocabularies of events, without zod: the browser imports these (with `reduce`)
 * and should not carry the validation library for a handful of names.
 */

/**
 * `unspecified`: an alert whose reason no source gives, as in the official record of a frontline
 * oblast's alert that has been on for months.
 */
export const THREAT_KINDS = ['drone', 'cruise_missile', 'ballistic_missile', 'aeroballistic_missile', 'guided_bomb', 'aircraft', 'unspecified'] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

/** What can be launched and counted; `aircraft` is a threat in an alert, not a launched weapon. */
export const LAUNCHED_KINDS = ['drone', 'cruise_missile', 'ballistic_missile', 'aeroballistic_missile', 'guided_bomb'] as const;
export type LaunchedKind = (typeof LAUNCHED_KINDS)[number];

export const IMPACT_TARGETS = ['energy', 'rail', 'residential', 'industrial', 'port', 'other'] as const;
export const OUTAGE_SCALES = ['local', 'regional'] as const;

export const EVENT_TYPES = [
  'alert.start',
  'alert.end',
  'siren.start',
  'siren.end',
  'launch',
  'carrier.takeoff',
  'carrier.landed',
  'threat.move',
  'intercept',
  'impact',
  'airspace.close',
  'airspace.open',
  'jets.scrambled',
  'jets.stood_down',
  'outage',
  'outage.end',
  'statement',
  'claim',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
