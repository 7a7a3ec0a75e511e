// Preloaded into the servers the fan-out benchmark measures (`node --expose-gc --import …`): on
// SIGUSR2 the process collects its garbage and prints one line on stderr,
// `gc-on-signal {…process.memoryUsage(), gcMs}`. Resident memory read from outside then carries
// no leftovers of start-up or of earlier messages, and the JS heap can be read beside it (RSS
// alone misleads: a heap with free pages takes new objects without growing). gcMs is the time
// spent in garbage collection so far, forced collections left out.
// Plain JavaScript so that it loads before, and independently of, the server's own loader.
// It also reports the event loop's worst delay since the previous report (loopMaxMs), which
// tells a server blocked by its own work from one merely sharing a busy machine.
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!(entry.detail?.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) gcMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const loopMaxMs = loop.max / 1e6;
  loop.reset();
  process.stderr.write(`gc-on-signal ${JSON.stringify({ ...process.memoryUsage(), gcMs, loopMaxMs })}\n`);
});
