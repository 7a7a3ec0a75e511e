/** The page's reading of moments and its wording of times, dates and counts. */
import { describe, expect, it } from 'vitest';
import { kyivDate, readMoment, sinceText } from '../../../client/format.ts';
import { noteText, plural } from '../../../client/i18n.ts';

const START = Date.parse('2025-12-05T18:00:00+02:00');
const NIGHT = 18 * 3_600_000;

describe('moments people type or share', () => {
  it('reads Kyiv time, Warsaw time with W, offsets; refuses what is not in the night', () => {
    expect(readMoment('06:35', START, NIGHT)).toEqual({ ok: true, ms: (12 * 60 + 35) * 60_000 });
    expect(readMoment('05:35W', START, NIGHT)).toEqual({ ok: true, ms: (12 * 60 + 35) * 60_000 });
    expect(readMoment('+02:00', START, NIGHT)).toEqual({ ok: true, ms: 2 * 3_600_000 });
    expect(readMoment('25:99', START, NIGHT).ok).toBe(false);
    expect(readMoment('+30:00', START, NIGHT).ok).toBe(false);
    expect(readMoment('', START, NIGHT).ok).toBe(false);
  });
});

describe('times and dates in words', () => {
  it('gives an alert that began before the night its date as well as its time', () => {
    expect(sinceText(START, 30 * 60_000, 60 * 60_000, 'en')).toBe('18:30');
    expect(sinceText(START, -20 * 3_600_000, 60 * 60_000, 'en')).toBe('22:00, 4 December');
    expect(sinceText(START, 10 * 3_600_000, 11 * 3_600_000, 'uk')).toBe('04:00');
    const april2022 = Date.parse('2022-04-04T16:00:00+03:00') - START;
    expect(sinceText(START, april2022, 60 * 60_000, 'en')).toBe('16:00, 4 April 2022');
    expect(kyivDate(START + 11 * 3_600_000, 'en')).toBe('6 December 2025');
    expect(kyivDate(START + 11 * 3_600_000, 'pl')).toBe('6 grudnia 2025');
  });

  it('counts with the plural form of each language', () => {
    expect(plural('sources', 3, 'uk')).toBe('3 джерела');
    expect(plural('sources', 79, 'uk')).toBe('79 джерел');
    expect(plural('sources', 3, 'pl')).toBe('3 źródła');
    expect(plural('sources', 79, 'pl')).toBe('79 źródeł');
    expect(plural('events', 1, 'en')).toBe('1 event');
  });

  it('reads a note given as plain text or in several languages', () => {
    expect(noteText('modelled', 'uk')).toBe('modelled');
    expect(noteText({ en: 'modelled', uk: 'змодельовано' }, 'uk')).toBe('змодельовано');
    expect(noteText({ en: 'modelled' }, 'pl')).toBe('modelled');
    expect(noteText(undefined, 'en')).toBeUndefined();
  });
});
