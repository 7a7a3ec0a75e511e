/**
 * From a scenario's text to plain data: JSON or YAML, syntax errors with their line and column,
 * and the YAML-only guards (alias counts, "billion laughs"). Its own module because this is the
 * only part of the loader that sees text; the validation after it works on data and paths, and
 * a JSON request body skips this step entirely.
 */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ScenarioBudget } from './budgets.ts';
import { MAX_PROBLEMS_KEPT, ProblemList } from './problem-list.ts';
import type { Problem } from './problems.ts';

/** The data read from the text, with a problem list that can place paths in it; or why not. */
export type TextRead = { readonly ok: true; readonly data: unknown; readonly problems: ProblemList } | { readonly ok: false; readonly problems: Problem[] };

function parseWithPositions(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, version: '1.2' });
  return { doc, lines };
}

export function readJsonText(text: string, file: string): TextRead {
  // JSON.parse is many times faster on a large night; the YAML parser (JSON is a subset of
  // YAML) is run only to put line numbers on problems, or to explain a syntax error.
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problems: syntaxProblems(file, 'JSON', parseWithPositions(text).doc) };
  }
  return { ok: true, data, problems: new ProblemList(file, () => parseWithPositions(text)) };
}

export function readYamlText(text: string, file: string, budget: ScenarioBudget): TextRead {
  const parsed = parseWithPositions(text);
  if (parsed.doc.errors.length > 0) return { ok: false, problems: syntaxProblems(file, 'YAML', parsed.doc).slice(0, MAX_PROBLEMS_KEPT) };
  // Resolving aliases costs more than linear time in their number: counted first, in one pass.
  let aliases = 0;
  visit(parsed.doc, { Alias: () => void (aliases += 1) });
  if (aliases > budget.maxAliases) {
    return { ok: false, problems: [{ file, path: '', message: `uses ${aliases} YAML aliases (*name); a scenario may use at most ${budget.maxAliases}` }] };
  }
  let data: unknown;
  try {
    // Aliases are capped so that a small file cannot expand into a huge one ("billion laughs").
    data = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ file, path: '', message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return { ok: true, data, problems: new ProblemList(file, () => parsed) };
}

function syntaxProblems(file: string, format: 'JSON' | 'YAML', doc: Document): Problem[] {
  if (doc.errors.length === 0) return [{ file, path: '', message: `not valid ${format}` }];
  return doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return {
      file,
      path: '',
      message: `not valid ${format}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
}
