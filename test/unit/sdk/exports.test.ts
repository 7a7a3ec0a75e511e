/** The package's own names resolve: what a consumer imports is the SDK and the virtual-time helper. */
import { describe, expect, it } from 'vitest';

describe('package exports', () => {
  it('exports connect from air-raid-sim/client and playNight from air-raid-sim/testing', async () => {
    const sdk = await import('air-raid-sim/client');
    const testing = await import('air-raid-sim/testing');
    expect(typeof sdk.connect).toBe('function');
    expect(typeof testing.playNight).toBe('function');
    const night = await testing.playNight({ positionMs: 17 * 3_600_000 });
    expect(night.events.every((e, i) => i === 0 || e.seq > night.events[i - 1]!.seq)).toBe(true);
  });
});
