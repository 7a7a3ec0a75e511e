/**
 * Child processes for benchmarks that measure a server from outside: start one and wait for the
 * line that gives its URL, read its CPU time and memory from /proc, and make sure every child is
 * gone however the benchmark ends (success, an exception, Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project's folder: where the benchmarks start servers and load generators. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const children = new Set<ChildProcess>();
let exitHooked = false;

/** Kills every child still running, synchronously: safe from `exit` and signal handlers. */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

/** Registers a child so that it dies with the benchmark, even if the benchmark dies first. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', killAll);
    // Ctrl-C reaches the whole process group; this makes sure nothing is left behind anyway.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: stopping the benchmark and its child processes\n`);
        killAll();
        process.exit(130);
      });
    }
  }
  return child;
}

/** A process's memory in KB: resident now and at its peak (from /proc), and its JS heap if it reported one. */
export interface Memory {
  readonly rssKb: number;
  readonly peakKb: number;
  /** V8 heap in use plus memory held outside it (Buffers): what JS objects cost, free pages aside. */
  readonly heapKb?: number;
  /** Time the process has spent collecting garbage so far (forced collections aside), ms. */
  readonly gcMs?: number;
  /** The event loop's worst delay since the previous reading, ms. */
  readonly loopMaxMs?: number;
}

/** What bench/gc-on-signal.js prints. */
interface MemoryLine {
  readonly heapUsed: number;
  readonly external: number;
  readonly gcMs: number;
  readonly loopMaxMs?: number;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /**
   * Memory after a full garbage collection: SIGUSR2 to a server started with
   * bench/gc-on-signal.js preloaded (without it, SIGUSR2 would end the process), which collects
   * and reports its heap. If no report comes within `settleMs`, only /proc's reading.
   */
  settledMemory(settleMs?: number): Promise<Memory>;
  /** Asks it to stop (SIGTERM), then kills it if it has not gone within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node args…` and resolves once it prints `serving on http://…` on stdout. The child
 * is the server itself, not a shell, so its pid is the one to measure.
 */
export function startServerProcess(args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<ServerProcess> {
  const child = track(spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  let onMemoryLine: ((usage: MemoryLine) => void) | undefined;
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    const report = /^gc-on-signal (\{.*\})$/m.exec(text);
    if (report) onMemoryLine?.(JSON.parse(report[1]!) as MemoryLine);
    stderr = (stderr + text).slice(-4000);
  });
  const settledMemory = (settleMs = 2000): Promise<Memory> =>
    new Promise((resolve) => {
      const done = (usage?: MemoryLine) => {
        clearTimeout(timer);
        onMemoryLine = undefined;
        // Freed pages go back to the system a moment after the collection.
        const read = () => resolve({ ...memoryKb(child.pid!), ...(usage ? { heapKb: (usage.heapUsed + usage.external) / 1024, gcMs: usage.gcMs, ...(usage.loopMaxMs === undefined ? {} : { loopMaxMs: usage.loopMaxMs }) } : {}) });
        if (usage) setTimeout(read, 200);
        else read();
      };
      const timer = setTimeout(() => done(), settleMs);
      onMemoryLine = done;
      child.kill('SIGUSR2');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no "serving on" line within ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${error.message}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`exited early (${signal ?? `code ${code}`})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /serving on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume(); // keep draining, so a chatty child never blocks on a full pipe
      resolve({ child, pid: child.pid!, url, settledMemory, stop: (graceMs = 5000) => stopProcess(child, graceMs) });
    });
  });
}

export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 nearly everywhere). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces: the fields that follow it start after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime: fields 14, 15
}

/**
 * Write system calls (write, writev, send…) a process has made so far, from /proc/PID/io; NaN
 * where that cannot be read. Several messages queued for one socket go out in one call: fewer
 * calls per message means the kernel was handed bigger batches.
 */
export function writeCalls(pid: number): number {
  try {
    return Number(/^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** Resident memory now and at its peak, in KB. */
export function memoryKb(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/**
 * The soft limit on open files, which children inherit. Every socket is a file descriptor: a
 * server with N clients needs N of them plus a few dozen of its own, and so does whatever holds
 * the clients. Linux only (/proc); elsewhere it is reported as unknown.
 */
export function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
    return soft === undefined ? undefined : soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return undefined;
  }
}

/** How many local ports outgoing connections can use: every viewer of one server takes one. */
export function ephemeralPorts(): number | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && high !== undefined && high >= low ? high - low + 1 : undefined;
  } catch {
    return undefined;
  }
}
