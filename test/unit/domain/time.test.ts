import { describe, expect, it } from 'vitest';
import { formatIsoInZone, formatOffset, parseAt, parseIsoWithOffset, parseOffset, resolveMoment } from '../../../server/domain/time.ts';

const START = Date.parse('2025-12-05T18:00:00+02:00');

describe('scenario time', () => {
  it('reads offsets with minutes, seconds, milliseconds and hours past 24', () => {
    expect(parseOffset('01:42')).toBe(6_120_000);
    expect(parseOffset('01:42:30')).toBe(6_150_000);
    expect(parseOffset('00:00:00.25')).toBe(250);
    expect(parseOffset('26:00')).toBe(93_600_000);
    for (const bad of ['1', '1:2', '01:60', '01:00:60', 'a:b', '-01:00', '01:00:00.1234']) expect(parseOffset(bad), bad).toBeUndefined();
  });

  it('places absolute times against the start and refuses times without an offset', () => {
    expect(parseAt('2025-12-06T00:30:00+02:00', START)).toEqual({ ok: true, kind: 'absolute', ms: 6.5 * 3_600_000 });
    expect(parseAt('2025-12-05T22:30:00Z', START)).toEqual({ ok: true, kind: 'absolute', ms: 6.5 * 3_600_000 });
    expect(parseAt('2025-12-06T00:30:00', START).ok).toBe(false);
  });

  it('writes times with the zone offset of the moment, never Z', () => {
    expect(formatIsoInZone(Date.parse('2025-12-06T03:27:00Z'), 'Europe/Kyiv')).toBe('2025-12-06T05:27:00+02:00');
    expect(formatIsoInZone(Date.parse('2025-12-06T03:27:00Z'), 'Europe/Warsaw')).toBe('2025-12-06T04:27:00+01:00');
    expect(formatIsoInZone(Date.parse('2025-07-01T00:00:00Z'), 'Europe/Kyiv')).toBe('2025-07-01T03:00:00+03:00');
    expect(formatOffset(93_600_000)).toBe('26:00:00');
  });

  it('resolves moments as people name them: local time after the start, or an offset', () => {
    expect(resolveMoment('05:20', START, 'Europe/Kyiv')).toBe((11 * 60 + 20) * 60_000);
    expect(resolveMoment('18:00', START, 'Europe/Kyiv')).toBe(0);
    expect(resolveMoment('17:59', START, 'Europe/Kyiv')).toBe((23 * 60 + 59) * 60_000);
    expect(resolveMoment('+01:30', START, 'Europe/Kyiv')).toBe(5_400_000);
    expect(resolveMoment('2025-12-06T04:30:00+01:00', START, 'Europe/Kyiv')).toBe(11.5 * 3_600_000);
    expect(resolveMoment('25:00', START, 'Europe/Kyiv')).toBeUndefined();
    expect(resolveMoment('soon', START, 'Europe/Kyiv')).toBeUndefined();
  });

  it('handles a night that crosses a daylight-saving change', () => {
    // 2025-10-26: Kyiv clocks went back at 04:00 (+03:00) to 03:00 (+02:00).
    const start = Date.parse('2025-10-25T22:00:00+03:00');
    expect(resolveMoment('05:00', start, 'Europe/Kyiv')).toBe(Date.parse('2025-10-26T05:00:00+02:00') - start);
  });

  it('refuses impossible dates and times instead of rolling them over', () => {
    expect(parseIsoWithOffset('2026-02-31T00:00:00+02:00')).toBeUndefined(); // not 3 March
    expect(parseIsoWithOffset('2025-02-29T12:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2025-13-01T12:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2025-12-06T24:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2025-12-06T12:00:00+25:00')).toBeUndefined();
    expect(parseIsoWithOffset('2024-02-29T23:59:59.500+02:00')).toBe(Date.parse('2024-02-29T23:59:59.500+02:00'));
  });
});
