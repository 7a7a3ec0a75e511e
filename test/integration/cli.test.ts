/** The `air-raid-sim` command, run as a user runs it: a real process, its output and exit code. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { timelineEventSchema } from '../../server/domain/events.ts';
import { loadScenarioFile } from '../../server/scenario/load.ts';

const run = promisify(execFile);
const BIN = 'server/cli/bin.js';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe('air-raid-sim run', () => {
  it('prints every event of the demo in order, in the wire shape, seq rising by one (--virtual, ndjson)', async () => {
    const loaded = await loadScenarioFile('scenarios/demo.yaml');
    if (!loaded.ok) throw new Error('demo invalid');
    const { code, stdout, stderr } = await cli('run', 'scenarios/demo.yaml', '--virtual', '--format', 'ndjson');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = lines(stdout).map((l) => timelineEventSchema.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.id)).toEqual(loaded.scenario.events.map((e) => e.id));
  });

  it('replays in real time at a given speed', async () => {
    // The 10-minute demo at 3600x takes about 170 ms of wall time.
    const { code, stdout } = await cli('run', 'scenarios/demo.yaml', '--speed', '3600', '--format', 'ndjson');
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(27);
  });

  it('filters by region (aliases accepted) and keeps seq as counted over all events', async () => {
    const { stdout } = await cli('run', 'scenarios/demo.yaml', '--virtual', '--format', 'ndjson', '--region', 'PL-LU', 'UA-46');
    const events = lines(stdout).map((l) => JSON.parse(l) as { region: string; seq: number });
    expect(events.map((e) => e.region).sort()).toEqual(['PL-06', 'PL-06', 'UA-46', 'UA-46']);
    expect(events[0]!.seq).toBeGreaterThan(1);
  });

  it('plays a window --from --to, in local time or as offsets', async () => {
    const local = await cli('run', 'scenarios/demo.yaml', '--virtual', '--format', 'ndjson', '--from', '02:04', '--to', '02:05');
    const offsets = await cli('run', 'scenarios/demo.yaml', '--virtual', '--format', 'ndjson', '--from', '+00:04', '--to', '+00:05');
    const times = lines(local.stdout).map((l) => (JSON.parse(l) as { atMs: number }).atMs);
    expect(times[0]).toBe(240_000);
    expect(times.at(-1)).toBe(300_000);
    expect(offsets.stdout).toBe(local.stdout);
  });

  it('prints readable lines: Kyiv time, region names, Warsaw time for Polish events, the reconstructed mark', async () => {
    const { stdout } = await cli('run', 'scenarios/demo.yaml', '--virtual');
    expect(stdout).toMatch(/^02:00:10 {2}alert\.start +Sumy \[UA-59\] {2}Air-raid alert: Sumy \(attack drones\) ≈reconstructed$/m);
    expect(stdout).toMatch(/^02:05:00 .*\[PL-06\].*\[Warsaw 01:05\]/m);
    expect(stdout).not.toContain('\u001b['); // no colour codes when not on a terminal
  });

  it('refuses bad input with one line and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', 'scenarios/demo.yaml', '--bogus'], /unknown option '--bogus'/],
      [['run', 'scenarios/demo.yaml', '--speed', 'fast'], /expected a number from 0.1 to 3600/],
      [['run', 'scenarios/demo.yaml', '--speed', '5000'], /expected a number from 0.1 to 3600/],
      [['run', 'scenarios/demo.yaml', '--format', 'xml'], /Allowed choices are pretty, ndjson/],
      [['run', 'scenarios/demo.yaml', '--region', 'UA-99'], /unknown region "UA-99"/],
      [['run', 'scenarios/demo.yaml', '--from', '9:99'], /--from.*expected a local time/],
      [['run', 'scenarios/demo.yaml', '--from', '+05:00'], /outside the scenario/],
      [['run', 'scenarios/no-such-file.yaml'], /no-such-file\.yaml: no such file/],
      [['run'], /missing required argument 'scenario'/],
      [['explode'], /unknown command 'explode'/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr, stdout } = await cli(...args);
      expect(code, args.join(' ')).not.toBe(0);
      expect(lines(stderr), args.join(' ')).toHaveLength(1);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stdout).toBe('');
    }
  });

  it('stops quietly when its reader goes away (| head)', async () => {
    // Far more output than a pipe buffers, so the writer does meet the closed pipe.
    const big = join(mkdtempSync(join(tmpdir(), 'air-raid-sim-pipe-')), 'big.json');
    await cli('generate', '--events', '20000', '--out', big);
    const { stdout, stderr } = await run('sh', ['-c', `"${process.execPath}" ${BIN} run ${big} --virtual | head -n 2`]);
    expect(lines(stdout)).toHaveLength(2);
    expect(stderr).toBe('');
  });

  it('has --help for every command', async () => {
    for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['schema', '--help']]) {
      const { code, stdout } = await cli(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toMatch(/^Usage: air-raid-sim/);
    }
    expect((await cli('run', '--help')).stdout).toContain('--virtual');
  });

  it('is on the PATH of npm exec as `air-raid-sim`', async () => {
    const { stdout } = await run('npm', ['exec', '--no', '--', 'air-raid-sim', '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('air-raid-sim validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'air-raid-sim-cli-'));

  it('exits 0 for a valid file', async () => {
    const { code, stdout } = await cli('validate', 'scenarios/demo.yaml');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: scenarios\/demo\.yaml \(27 events, 00:10:00\)/);
  });

  it('names all of three different mistakes with file, line, path and reason, and exits 1', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'id: broken',
        'title: { en: Broken }',
        'description: { en: Three mistakes }',
        'start: "2025-12-05T18:00:00+02:00"',
        'timeZone: Europe/Kyiv',
        'events:',
        '  - { at: "00:01", type: alert.start, region: UA-99, threats: [drone] }',
        '  - { at: "00:02", type: alert.end, region: UA-46 }',
        '  - { at: "half past one", type: jets.scrambled, country: PL }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await cli('validate', file, 'scenarios/demo.yaml');
    expect(code).toBe(1);
    const problems = lines(stderr);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(new RegExp(`^${file}:7:\\d+: events\\[0\\]\\.region: unknown region "UA-99"`));
    expect(problems[1]).toMatch(new RegExp(`^${file}:9:\\d+: events\\[2\\]\\.at: "half past one" is not a time`));
    expect(problems[2]).toMatch(new RegExp(`^${file}:8:\\d+: events\\[1\\]: alert\\.end in Lviv \\(UA-46\\) at 00:02:00, but no alert is open there`));
  });

  it('reports a missing file as a problem', async () => {
    const { code, stderr } = await cli('validate', join(dir, 'missing.yaml'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.yaml: no such file/);
  });
});

describe('air-raid-sim schema', () => {
  it('prints the JSON Schema that scenarios/schema.json holds', async () => {
    const { stdout } = await cli('schema');
    expect(JSON.parse(stdout)).toMatchObject({ title: 'air-raid-sim scenario', type: 'object' });
  });
});

describe('air-raid-sim compile', () => {
  it('prints the expanded scenario as JSON in the loaded shape', async () => {
    const { code, stdout } = await cli('compile', 'scenarios/demo.yaml');
    expect(code).toBe(0);
    const { scenarioSchema } = await import('../../server/domain/scenario.ts');
    const scenario = scenarioSchema.parse(JSON.parse(stdout));
    expect(scenario.events).toHaveLength(27);
  });

  it('--summary prints events per type, alerts per region and totals per threat', async () => {
    const { code, stdout } = await cli('compile', 'scenarios/2025-12-06-barrage.yaml', '--summary');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Events by type:$/m);
    expect(stdout).toMatch(/^ {2}UA-46 Lviv +\d+ alerts? +first \d\d:\d\d +last end \d\d:\d\d/m);
    expect(stdout).toMatch(/drone +launched +653 +shot down +585/);
    expect(stdout).toMatch(/cruise_missile +launched +34 +shot down +29/);
    expect(stdout).toMatch(/hits: 29; debris damage: 3; injured: 8; killed: 0/);
    // Alerts already on when the night begins, with their real start; those still on the next day never end.
    expect(stdout).toMatch(/^ {2}UA-09 Luhansk +1 alert +under alert since 2022-04-04 19:45 +still on at the end/m);
    expect(stdout).toMatch(/^ {2}UA-74 Chernihiv +\d+ alerts? +under alert since 2025-12-05 15:54 +last end \d\d:\d\d/m);
  });

  it('run lists the alerts already on before the first event, with who reports them', async () => {
    const { code, stdout } = await cli('run', 'scenarios/2025-12-06-barrage.yaml', '--virtual', '--to', '+00:30', '--region', 'UA-09', 'UA-59');
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out[0]).toMatch(/^17:00:00 +under alert +Luhansk \[UA-09\] +under alert since 2022-04-04 19:45 \(reported by official-alerts-snapshot\)$/);
    expect(out.slice(1).every((l) => !l.includes('UA-09'))).toBe(true);
    expect(out.some((l) => /17:21:44 +alert.start +Sumy \[UA-59\].*\(reported by official-alerts-snapshot\)/.test(l))).toBe(true);
  });

  it('refuses a broken file with its problems', async () => {
    const { code, stderr } = await cli('compile', 'scenarios/no-such.yaml');
    expect(code).toBe(1);
    expect(stderr).toMatch(/no such file/);
  });
});

describe('air-raid-sim generate', () => {
  it('writes a valid scenario of the size asked for, the same for the same seed', async () => {
    const a = await cli('generate', '--events', '300', '--seed', '5');
    const b = await cli('generate', '--events', '300', '--seed', '5');
    expect(a.stdout).toBe(b.stdout);
    const { loadScenarioObject } = await import('../../server/scenario/load.ts');
    const result = loadScenarioObject(JSON.parse(a.stdout));
    expect(result.ok && result.scenario.events.length).toBe(300);
  });

  it('refuses a missing or bad --events', async () => {
    expect((await cli('generate')).stderr).toMatch(/required option '-n, --events <n>' not specified/);
    expect((await cli('generate', '--events', '-3')).stderr).toMatch(/expected a whole number/);
  });
});

describe('air-raid-sim serve, several processes', () => {
  const serve = async (args: string[], env: NodeJS.ProcessEnv) => {
    const { REDIS_URL: _redis, ...rest } = process.env;
    try {
      await run(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'silent', '--data-dir', mkdtempSync(join(tmpdir(), 'ars-cli-')), ...args], { env: { ...rest, NO_COLOR: '1', ...env } });
      return { code: 0, stderr: '' };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr };
    }
  };

  it('refuses --workers without a Redis to share sessions through, saying what to add', async () => {
    const { code, stderr } = await serve(['--workers', '2'], {});
    expect(code).toBe(1);
    expect(stderr).toMatch(/--workers needs --redis-url \(REDIS_URL\)/);
  });

  it('stops with one line naming the Redis it could not reach', async () => {
    const { code, stderr } = await serve([], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([expect.stringMatching(/Redis at redis:\/\/127\.0\.0\.1:1 did not answer within \d+ ms/)]);
  }, 20_000);
});
