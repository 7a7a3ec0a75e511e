/** Small statistics and reporting helpers shared by the benchmark suites. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const keys = ['figure', 'value', 'baseline', 'ratio', 'goal'] as const;
  printGrid(title, ['figure', 'simulator', 'baseline (same run)', 'ratio', 'goal'], rows.map((r) => keys.map((k) => r[k])));
}

/** A table of any columns, each as wide as its widest cell. */
export function printGrid(title: string, headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

export function machine() {
  return { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: process.platform };
}

export function writeResults(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${file}\n`);
}

export const fmt = {
  rate: (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M ev/s`,
  ms: (ms: number) => `${ms.toFixed(3)} ms`,
  ratio: (x: number) => `${x.toFixed(2)}x`,
};
