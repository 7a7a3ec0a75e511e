/**
 * Wall time in epoch ms with sub-millisecond resolution. Servers stamp clocks with Date.now(),
 * whole milliseconds of the same machine clock, so the monotonic clock is aligned to the instant
 * Date.now() ticks over: a lag computed in one process means the same in every other.
 */
export const epochNow: () => number = (() => {
  const offsets: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = Date.now();
    while (Date.now() === before); // spin to the tick: then Date.now() is exact
    offsets.push(Date.now() - (performance.timeOrigin + performance.now()));
  }
  const offset = offsets.sort((a, b) => a - b)[2]!;
  return () => performance.timeOrigin + performance.now() + offset;
})();
