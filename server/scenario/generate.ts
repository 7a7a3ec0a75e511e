/**
 * Synthetic scenarios of any size, for benchmarks and stress tests: valid by construction
 * (alerts open before they close, one at a time per region, all closed by the end), and the
 * same for the same seed. Every event is marked `reconstructed` and says it is synthetic, so a
 * generated night can never be mistaken for a record of a real one.
 */
import { REGIONS } from '../domain/regions/index.ts';
import { formatOffset, formatOffsetMs } from '../domain/time.ts';
import type { ThreatKind } from '../domain/events.ts';

export interface GenerateOptions {
  readonly events: number;
  readonly seed: number;
  /** Length of the night; events spread evenly over it on average. */
  readonly durationMs?: number;
  readonly start?: string;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same night everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THREATS: readonly ThreatKind[] = ['drone', 'cruise_missile', 'ballistic_missile'];
const NOTE = 'synthetic: generated for testing, not a record of any real night';

type FileEvent = Record<string, unknown> & { at: string };

export function generateScenario(options: GenerateOptions): Record<string, unknown> {
  const count = Math.max(0, Math.floor(options.events));
  const durationMs = options.durationMs ?? 10 * 3_600_000;
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const open = new Set<string>();
  const events: FileEvent[] = [];
  const push = (ms: number, event: Record<string, unknown>) => events.push({ at: formatOffsetMs(ms), ...event, reconstructed: true, note: NOTE });

  // At most this many alerts are open at once, and room is left at the end to close them all.
  const maxOpen = Math.min(REGIONS.length, Math.floor(count / 4));
  const body = count - maxOpen;
  for (let i = 0; i < body; i++) {
    const t = ((i + random()) / Math.max(1, body)) * durationMs * 0.95;
    const region = pick(REGIONS).code;
    const roll = random();
    if (roll < 0.3) {
      if (open.has(region)) {
        open.delete(region);
        push(t, { type: 'alert.end', region });
      } else if (open.size < maxOpen) {
        open.add(region);
        push(t, { type: 'alert.start', region, threats: [pick(THREATS)] });
      }
    } else if (roll < 0.55) {
      const lon = 22 + random() * 18;
      const lat = 45 + random() * 7;
      push(t, { type: 'threat.move', trackId: `g${Math.floor(random() * 40)}`, threat: 'drone', count: 1 + Math.floor(random() * 20), position: [round(lon), round(lat)] });
    } else if (roll < 0.7) {
      push(t, { type: 'launch', threat: pick(['drone', 'cruise_missile'] as const), count: 1 + Math.floor(random() * 30), from: { name: 'synthetic launch site', position: [37.5, 51.5] } });
    } else if (roll < 0.85) {
      push(t, { type: 'intercept', threat: 'drone', count: 1 + Math.floor(random() * 5), region });
    } else if (roll < 0.95) {
      push(t, { type: 'impact', region, place: 'synthetic place', target: pick(['energy', 'rail', 'residential', 'industrial', 'other'] as const) });
    } else {
      push(t, { type: 'statement', org: 'synthetic', text: { en: `Synthetic statement ${i}` } });
    }
  }
  // Close what is open, then pad with statements so the count is exact.
  let t = durationMs * 0.96;
  for (const region of [...open].sort()) push((t += 1000), { type: 'alert.end', region });
  while (events.length < count) push((t += 1000), { type: 'statement', org: 'synthetic', text: { en: 'Synthetic padding' } });

  return {
    id: `generated-${options.seed}-${count}`,
    title: { en: `Synthetic scenario: ${count} events, seed ${options.seed}` },
    description: { en: 'Generated for benchmarks and stress tests. Not a record of any real night.' },
    start: options.start ?? '2025-01-01T00:00:00+02:00',
    timeZone: 'Europe/Kyiv',
    duration: formatOffset(Math.max(durationMs, Math.ceil(t / 1000) * 1000)),
    sources: [],
    events,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
