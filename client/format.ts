import { formatLocalTime, formatOffset } from '../server/domain/time.ts';

export const KYIV = 'Europe/Kyiv';
export const WARSAW = 'Europe/Warsaw';

export const localTime = (startMs: number, positionMs: number, zone: string, seconds = false) => formatLocalTime(startMs + positionMs, zone, seconds);
export const elapsed = (positionMs: number) => formatOffset(positionMs);
