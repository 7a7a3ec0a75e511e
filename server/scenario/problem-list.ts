/**
 * The list a scenario's problems are collected in, and the mapping from a JSON path to the line
 * and column it sits at. Its own module because both halves of the loader feed it: the text
 * readers (which know the YAML document) and the validation steps (which know only paths). The
 * document is parsed for positions only when the first problem needs one, and past 1,000
 * problems the rest are only counted.
 */
import type { LineCounter, Document } from 'yaml';
import { isNode } from 'yaml';
import type { z } from 'zod';
import { formatPath, type PathSegment, type Problem } from './problems.ts';

/**
 * Problems kept in full; past this they are only counted. A broken 50,000-event file would
 * otherwise answer with a list larger than itself.
 */
export const MAX_PROBLEMS_KEPT = 1_000;

/** Where a path sits in the text: parsed only when a problem needs a line number. */
export type Locator = () => { readonly doc: Document; readonly lines: LineCounter } | undefined;

export class ProblemList {
  readonly items: Problem[] = [];
  private located: ReturnType<Locator> | null = null;
  private dropped = 0;

  constructor(
    private readonly file: string,
    private readonly locate: Locator = () => undefined,
  ) {}

  add(path: readonly PathSegment[], message: string): void {
    if (this.items.length >= MAX_PROBLEMS_KEPT) {
      this.dropped += 1;
      return;
    }
    this.items.push({ file: this.file, path: formatPath(path), message, ...this.position(path) });
  }

  /** Every problem kept, and one that counts those that were not. */
  all(): Problem[] {
    return this.dropped === 0 ? this.items : [...this.items, { file: this.file, path: '', message: `and ${this.dropped} more problems` }];
  }

  addZod(prefix: readonly PathSegment[], error: z.ZodError): void {
    for (const issue of error.issues) {
      this.add([...prefix, ...(issue.path as PathSegment[])], issue.message);
    }
  }

  /** Line and column of the deepest node on the path that exists in the text. */
  private position(path: readonly PathSegment[]): { line?: number; column?: number } {
    if (this.located === null) this.located = this.locate();
    if (!this.located) return {};
    const { doc, lines } = this.located;
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  }
}
