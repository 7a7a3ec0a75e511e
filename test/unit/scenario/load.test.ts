import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { scenarioEventSchema } from '../../../server/domain/events.ts';
import { loadScenarioFile, loadScenarioObject, parseScenarioText, UPLOAD_BUDGET } from '../../../server/scenario/load.ts';
import { formatProblem } from '../../../server/scenario/problems.ts';
import { header } from '../../helpers/scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'air-raid-sim-load-'));
const source = { id: 'af', title: 'Air Force report', publisher: 'Air Force', url: 'https://example.org/af', date: '2025-12-06' };

function problemsOf(events: unknown[], extra: Record<string, unknown> = {}) {
  const result = loadScenarioObject({ ...header(extra), sources: [source], events }, 'night.yaml');
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('loading scenario files', () => {
  it('loads the demo: sorted, timed, described, with sources', async () => {
    const result = await loadScenarioFile('scenarios/demo.yaml');
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const { events } = result.scenario;
    expect(events.length).toBeGreaterThan(20);
    expect(events.map((e) => e.atMs)).toEqual([...events.map((e) => e.atMs)].sort((a, b) => a - b));
    for (const e of events) expect(scenarioEventSchema.safeParse(e).success, e.id).toBe(true);
    expect(result.scenario.durationMs).toBe(600_000);
    expect(events.some((e) => e.type === 'siren.start' && e.region === 'PL-06')).toBe(true);
  });

  it('gives the same events, ids included, every time the same file is loaded', async () => {
    const a = await loadScenarioFile('scenarios/demo.yaml');
    const b = await loadScenarioFile('scenarios/demo.yaml');
    expect(a).toEqual(b);
    if (!a.ok) throw new Error('demo invalid');
    expect(new Set(a.scenario.events.map((e) => e.id)).size).toBe(a.scenario.events.length);
  });

  it('keeps an id when another event is added before it', () => {
    const base = [{ at: '00:10', type: 'alert.start', region: 'UA-46', threats: ['drone'] }];
    const one = loadScenarioObject({ ...header(), events: base });
    const two = loadScenarioObject({ ...header(), events: [{ at: '00:05', type: 'jets.scrambled', country: 'PL' }, ...base] });
    if (!one.ok || !two.ok) throw new Error('invalid');
    expect(two.scenario.events[1]!.id).toBe(one.scenario.events[0]!.id);
  });

  it('keeps same-instant events in file order', () => {
    const result = loadScenarioObject({
      ...header(),
      events: [
        { at: '00:10', type: 'jets.scrambled', country: 'PL' },
        { at: '00:05', type: 'alert.start', region: 'UA-07', threats: ['drone'] },
        { at: '00:05', type: 'alert.start', region: 'UA-46', threats: ['drone'] },
      ],
    });
    if (!result.ok) throw new Error('invalid');
    expect(result.scenario.events.map((e) => ('region' in e ? e.region : e.type))).toEqual(['UA-07', 'UA-46', 'jets.scrambled']);
  });

  it('reads absolute times with an offset and offsets past 24 hours', () => {
    const result = loadScenarioObject({
      ...header(),
      events: [
        { at: '2025-12-06T05:27:00+02:00', type: 'jets.scrambled', country: 'PL' },
        { at: '2025-12-06T04:27:00+01:00', type: 'jets.stood_down', country: 'PL' },
        { at: '26:00:00', type: 'jets.scrambled', country: 'UA' },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.scenario.events.map((e) => e.atMs)).toEqual([41_220_000, 41_220_000, 93_600_000]);
    expect(result.scenario.events[0]!.time).toBe('2025-12-06T05:27:00+02:00');
  });

  it('accepts Poland\'s letter codes and stores the current code', () => {
    const result = loadScenarioObject({ ...header(), events: [{ at: '00:01', type: 'siren.start', region: 'PL-LU' }, { at: '00:02', type: 'siren.end', region: 'PL-06' }] });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.scenario.events.map((e) => ('region' in e ? e.region : ''))).toEqual(['PL-06', 'PL-06']);
  });

  it('loads JSON as well as YAML', async () => {
    const file = join(dir, 'night.json');
    writeFileSync(file, JSON.stringify({ ...header(), events: [{ at: '00:01', type: 'jets.scrambled', country: 'PL' }] }));
    const result = await loadScenarioFile(file);
    expect(result.ok).toBe(true);
  });

  describe('refuses a broken file with every problem, its path and its reason', () => {
    it('an unknown region code', () => {
      const [p] = problemsOf([{ at: '00:01', type: 'alert.start', region: 'UA-99', threats: ['drone'] }]);
      expect(p).toMatchObject({ path: 'events[0].region', message: expect.stringContaining('unknown region "UA-99"') });
    });

    it('an event before the start', () => {
      const [p] = problemsOf([{ at: '2025-12-05T17:00:00+02:00', type: 'jets.scrambled', country: 'PL' }]);
      expect(p).toMatchObject({ path: 'events[0].at', message: expect.stringContaining("before the scenario's start") });
    });

    it('a source that no entry defines', () => {
      const [p] = problemsOf([{ at: '00:01', type: 'jets.scrambled', country: 'PL', source: 'nobody' }]);
      expect(p).toMatchObject({ path: 'events[0].source', message: expect.stringContaining('"nobody"') });
    });

    it('an alert.end with no open alert', () => {
      const [p] = problemsOf([{ at: '00:01', type: 'alert.end', region: 'UA-46' }]);
      expect(p).toMatchObject({ path: 'events[0]', message: expect.stringMatching(/no alert is open/) });
    });

    it('an alert that ends before it starts', () => {
      const [p] = problemsOf([
        { at: '00:10', type: 'alert.start', region: 'UA-46', threats: ['drone'] },
        { at: '00:05', type: 'alert.end', region: 'UA-46' },
      ]);
      expect(p).toMatchObject({ path: 'events[1]', message: expect.stringMatching(/no alert is open/) });
    });

    it('a second alert in a region already under alert', () => {
      const [p] = problemsOf([
        { at: '00:01', type: 'alert.start', region: 'UA-46', threats: ['drone'] },
        { at: '00:02', type: 'alert.start', region: 'UA-46', threats: ['drone'] },
      ]);
      expect(p).toMatchObject({ path: 'events[1]', message: expect.stringMatching(/already under alert since 00:01:00/) });
    });

    it('a bad time in `at`', () => {
      for (const at of ['1:2', '25:61', 'tomorrow', '2025-12-06T05:27:00', '']) {
        const [p] = problemsOf([{ at, type: 'jets.scrambled', country: 'PL' }]);
        expect(p, at).toMatchObject({ path: 'events[0].at', message: expect.stringContaining('is not a time') });
      }
    });

    it('a wrong type, a missing field, a misspelt field and an unknown event type', () => {
      const problems = problemsOf([
        { at: '00:01', type: 'launch', threat: 'drone', count: '12', from: { name: 'x', position: [36, 51] } },
        { at: '00:02', type: 'alert.start', region: 'UA-46' },
        { at: '00:03', type: 'jets.scrambled', country: 'PL', contry: 'PL' },
        { at: '00:04', type: 'alert.begin', region: 'UA-46' },
      ]);
      expect(problems.map((p) => p.path)).toEqual(['events[0].count', 'events[1].threats', 'events[2]', 'events[3].type']);
      expect(problems[2]!.message).toContain('contry');
      expect(problems[3]!.message).toContain('unknown event type "alert.begin"');
    });

    it('problems in the header, the sources and the events all at once', () => {
      const result = loadScenarioObject(
        { ...header({ timeZone: 'Europe/Atlantis' }), sources: [{ ...source, url: 'not a url' }], events: [{ at: 'x', type: 'outage', region: 'UA-46' }] },
        'f.yaml',
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => p.path)).toEqual(['timeZone', 'sources[0].url', 'events[0].at']);
    });

    it('names three different mistakes in a file with their lines', async () => {
      const file = join(dir, 'three.yaml');
      writeFileSync(
        file,
        stringify({
          ...header(),
          sources: [source],
          events: [
            { at: '00:01', type: 'alert.start', region: 'UA-99', threats: ['drone'] },
            { at: '00:02', type: 'jets.scrambled', country: 'PL', source: 'nobody' },
            { at: '99', type: 'outage', region: 'UA-46' },
          ],
        }),
      );
      const result = await loadScenarioFile(file);
      if (result.ok) throw new Error('accepted a broken file');
      expect(result.problems.map((p) => p.path)).toEqual(['events[0].region', 'events[2].at', 'events[1].source']);
      for (const p of result.problems) {
        expect(p.file).toBe(file);
        expect(p.line).toBeGreaterThan(10);
      }
      expect(formatProblem(result.problems[0]!)).toMatch(/three\.yaml:\d+:\d+: events\[0\]\.region: unknown region "UA-99"/);
    });

    it('YAML that does not parse, with its line', () => {
      const result = parseScenarioText('id: x\nevents: [\n  - at: 1\n', { fileName: 'bad.yaml' });
      if (result.ok) throw new Error('accepted');
      expect(result.problems[0]).toMatchObject({ file: 'bad.yaml', message: expect.stringContaining('not valid YAML') });
      expect(result.problems[0]!.line).toBeGreaterThanOrEqual(1);
    });

    it('a duplicated key', () => {
      const result = parseScenarioText('id: a\nid: b\n', { fileName: 'dup.yaml' });
      expect(result.ok).toBe(false);
    });

    it('a file that is missing, or a directory', async () => {
      expect(await loadScenarioFile(join(dir, 'nope.yaml'))).toEqual({ ok: false, problems: [{ file: join(dir, 'nope.yaml'), path: '', message: 'no such file' }] });
      const result = await loadScenarioFile(dir);
      expect(result.ok).toBe(false);
    });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = loadScenarioObject(value);
        expect(result.ok === true || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 5 }), (events) => {
        const result = loadScenarioObject({ ...header(), events });
        expect(result.ok === true || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseScenarioText(text, { fileName: 'fuzz.yaml' });
        expect(result.ok === true || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('budgets', () => {
  const crowd = (n: number) => ({ ...header(), events: Array.from({ length: n }, () => ({ at: '00:01', type: 'jets.scrambled', country: 'PL' })) });

  it('gives 8,000 events at one instant distinct ids (in linear time) when the budget allows them', () => {
    const result = loadScenarioObject(crowd(8000));
    if (!result.ok) throw new Error(JSON.stringify(result.problems[0]));
    const ids = result.scenario.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(8000);
    expect(ids.slice(0, 3)).toEqual(['000100-jets.scrambled', '000100-jets.scrambled-2', '000100-jets.scrambled-3']);
  });

  it('keeps derived ids clear of the ids an author chose', () => {
    const result = loadScenarioObject({ ...crowd(3), events: [...crowd(3).events, { id: '000100-jets.scrambled-2', at: '00:02', type: 'jets.scrambled', country: 'PL' }] });
    if (!result.ok) throw new Error(JSON.stringify(result.problems[0]));
    expect(result.scenario.events.map((e) => e.id)).toEqual(['000100-jets.scrambled', '000100-jets.scrambled-3', '000100-jets.scrambled-4', '000100-jets.scrambled-2']);
  });

  it('refuses, under the upload budget, lists and expansions past their limits before reading them', () => {
    const tooMany = loadScenarioObject({ ...header(), events: Array(50_001).fill(0) }, 'upload', UPLOAD_BUDGET);
    expect(tooMany.ok ? [] : tooMany.problems.map((p) => p.message)).toEqual(['has 50001 items; a scenario may have at most 50000']);
    const crowded = loadScenarioObject(crowd(2001), 'upload', UPLOAD_BUDGET);
    expect(crowded.ok ? '' : crowded.problems[0]!.message).toMatch(/2001 events at 00:01:00; at most 2000/);
    const aliases = parseScenarioText(`a: &a 1\nb: [${Array(1001).fill('*a').join(', ')}]\n`, { fileName: 'x.yaml', budget: UPLOAD_BUDGET });
    expect(aliases.ok ? '' : aliases.problems[0]!.message).toMatch(/1001 YAML aliases/);
  });

  it('keeps a thousand problems and counts the rest', () => {
    const result = loadScenarioObject({ ...header(), events: Array.from({ length: 3000 }, () => ({ at: 'x', type: 'nothing' })) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1001);
    expect(result.problems.at(-1)!.message).toMatch(/^and \d+ more problems$/);
  });
});
