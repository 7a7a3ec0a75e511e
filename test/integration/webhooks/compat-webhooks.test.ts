/**
 * The ukrainealarm-style webhooks of the compatible feed across restarts: registrations kept by
 * session name and the key's hash, attached again at startup (the default session, created anew;
 * a resumed drill), the default session kept and followed while a webhook is on it, and a real
 * process killed and started again on the same DATA_DIR.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uaAlertRegionsSchema } from '../../../server/contract/compat.ts';
import type { RunningServer } from '../../../server/server.ts';
import type { Session } from '../../../server/sessions/session.ts';
import { openDatabase } from '../../../server/storage/database.ts';
import { SqliteCompatWebhookStore, type CompatRegistration } from '../../../server/webhooks/compat-store.ts';
import { serveProcess, type ServerProcess } from '../../helpers/process.ts';
import { api, createSession, startTestServer, until } from '../../helpers/server.ts';
import { firstAlert, SEED, type AlertSpan } from '../compat/helpers.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KYIV_ID = '14';

/** One folder per data directory below a temporary root (the database creates its folder). */
const root = mkdtempSync(join(tmpdir(), 'air-raid-sim-compat-hooks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `data-${(dirs += 1)}`);

/** The registrations kept in `dir`, read through a second connection as the server runs. */
function stored(dir: string): CompatRegistration[] {
  const db = openDatabase({ dir });
  try {
    return new SqliteCompatWebhookStore(db).list('ukrainealarm');
  } finally {
    db.close();
  }
}

const hookPath = (session: string) => `/compat/ukrainealarm/${session}/api/v3/webhook`;
const hook = (server: { url: string }, method: string, session: string, key: string, webHookUrl: string) =>
  api(server, hookPath(session), { method, headers: { authorization: key }, json: { webHookUrl } });
const at = (receiver: Receiver, path: string) => receiver.url.replace(/\/hook$/, path);
/** The deliveries to `path`, each once by its idempotency key (one cut short by a kill is sent again). */
const callsTo = (receiver: Receiver, path: string) => receiver.calls.filter((c, i, all) => c.path === path && all.findIndex((d) => d.key === c.key) === i);
const defaultSessions = (server: RunningServer) => server.registry.all().filter((s) => s.scenario.id === SEED && s.clock.loop);

describe('registrations kept in the data folder', () => {
  const dir = freshDir();
  const logLines: Array<{ msg: string; sessions?: string[] }> = [];
  let receiver: Receiver;
  let server: RunningServer;

  beforeAll(async () => {
    receiver = await startReceiver(null);
    const db = openDatabase({ dir });
    const store = new SqliteCompatWebhookStore(db);
    const row = { feed: 'ukrainealarm', keyHash: sha256('k'), createdAtMs: 1 };
    store.save({ ...row, sessionName: 'default', url: at(receiver, '/default'), durable: true });
    store.save({ ...row, sessionName: 'a-drill-not-resumed', url: at(receiver, '/drill'), durable: true });
    store.save({ ...row, sessionName: 'a-session-of-the-last-run', url: at(receiver, '/gone'), durable: false });
    db.close();
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(JSON.parse(chunk.toString())), done()) }));
    server = await startTestServer({ dataDir: dir, logger, compat: { defaultSession: { speed: 3600 } } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('attaches a kept registration on `default` to the default session at startup, which plays for it', async () => {
    expect(defaultSessions(server)).toHaveLength(1);
    await until(() => callsTo(receiver, '/default').length >= 2, 'deliveries to the restored default webhook');
    uaAlertRegionsSchema.parse(callsTo(receiver, '/default').map((c) => c.body));
    expect(logLines.some((l) => /ukrainealarm webhooks restored/.test(l.msg))).toBe(true);
  });

  it("keeps one whose drill is not back, drops one whose ordinary session ended, and says so in the log", () => {
    expect(stored(dir).map((r) => r.sessionName).sort()).toEqual(['a-drill-not-resumed', 'default']);
    expect(logLines.find((l) => /kept for a later start/.test(l.msg))?.sessions).toEqual(['a-drill-not-resumed']);
    expect(logLines.find((l) => /dropped/.test(l.msg))?.sessions).toEqual(['a-session-of-the-last-run']);
    expect(callsTo(receiver, '/drill')).toHaveLength(0);
    expect(callsTo(receiver, '/gone')).toHaveLength(0);
  });

  it("stores the key's SHA-256, never the key; a PATCH changes the stored URL and a DELETE removes it", async () => {
    const key = 'a-raw-key-that-is-never-stored';
    const drill = await createSession(server, { scenarioId: SEED, kind: 'drill', autoplay: false });
    const watch = await createSession(server, { scenarioId: SEED, autoplay: false });
    expect((await hook(server, 'POST', drill.id, key, 'https://hooks.example.org/first')).status).toBe(200);
    expect((await hook(server, 'POST', watch.id, key, 'https://hooks.example.org/watch')).status).toBe(200);
    expect((await hook(server, 'PATCH', drill.id, key, 'https://hooks.example.org/second')).status).toBe(200);
    const rows = stored(dir);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows.filter((r) => r.keyHash === sha256(key)).map((r) => [r.sessionName, r.url, r.durable])).toEqual([
      [drill.id, 'https://hooks.example.org/second', true],
      [watch.id, 'https://hooks.example.org/watch', false],
    ]);
    expect((await hook(server, 'DELETE', drill.id, key, 'https://hooks.example.org/second')).status).toBe(200);
    expect(stored(dir).filter((r) => r.keyHash === sha256(key)).map((r) => r.sessionName)).toEqual([watch.id]);
  });
});

describe('a webhook on the default session', () => {
  let receiver: Receiver;
  let server: RunningServer;
  let kyiv: AlertSpan;
  beforeAll(async () => {
    receiver = await startReceiver(null);
    // Sessions nobody uses close after a second; the reaper looks every second.
    server = await startTestServer({ idleMs: 1000 });
    kyiv = await firstAlert(server, 'UA-32');
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('keeps the default session from closing as idle, as a polling app would', async () => {
    expect((await hook(server, 'POST', 'default', 'k', at(receiver, '/default'))).status).toBe(200);
    const [first] = defaultSessions(server);
    const unused = await createSession(server, { scenarioId: SEED, autoplay: false });
    await until(() => server.registry.get(unused.id) === undefined, 'an unused session closed as idle');
    expect(defaultSessions(server).map((s) => s.id)).toEqual([first!.id]);
  });

  it('follows the default session created in place of one that was closed anyway', async () => {
    const [old] = defaultSessions(server);
    server.registry.remove(old!);
    let next: Session | undefined;
    await until(() => (next = defaultSessions(server).find((s) => s.id !== old!.id)) !== undefined, 'a new default session');
    next!.control({ action: 'seek', positionMs: kyiv.startMs });
    await until(() => callsTo(receiver, '/default').some((c) => (c.body as { regionId: string }).regionId === KYIV_ID), "Kyiv oblast's alert delivered");
    const kyivCalls = callsTo(receiver, '/default').filter((c) => (c.body as { regionId: string }).regionId === KYIV_ID);
    expect(uaAlertRegionsSchema.parse(kyivCalls.map((c) => c.body))[0]!.activeAlerts.map((a) => a.type)).toEqual(['AIR']);
  });
});

describe('registrations across a process killed and started again', () => {
  const dir = freshDir();
  const serve = (speed: string) => serveProcess(['--data-dir', dir, '--compat-speed', speed]);
  const stop = async (p: ServerProcess, signal: NodeJS.Signals) => {
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill(signal);
    await exited;
  };

  it("delivers the next changes of a resumed drill and of the new default session to the URLs registered before, and none to a removed or replaced one", async () => {
    const receiver = await startReceiver(null);
    const seek = (p: ServerProcess, token: string, id: string, positionMs: number) =>
      api(p, `/api/sessions/${id}/control`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { action: 'seek', positionMs } });
    const kyivCalls = () => uaAlertRegionsSchema.parse(callsTo(receiver, '/drill').map((c) => c.body)).filter((b) => b.regionId === KYIV_ID).map((b) => b.activeAlerts.length);
    // At 0.1x the default session's first change is hours of wall time away: the first process sends it nothing.
    const first = await serve('0.1');
    const kyiv = await firstAlert(first, 'UA-32');
    const drill = await createSession(first, { scenarioId: SEED, kind: 'drill', positionMs: kyiv.startMs - 60_000, autoplay: false });
    expect((await hook(first, 'POST', drill.id, 'drill-key', at(receiver, '/replaced'))).status).toBe(200);
    expect((await hook(first, 'PATCH', drill.id, 'drill-key', at(receiver, '/drill'))).status).toBe(200);
    expect((await hook(first, 'POST', 'default', 'default-key', at(receiver, '/default'))).status).toBe(200);
    expect((await hook(first, 'POST', 'default', 'removed-key', at(receiver, '/removed'))).status).toBe(200);
    expect((await hook(first, 'DELETE', 'default', 'removed-key', at(receiver, '/removed'))).status).toBe(200);
    // One delivery before the kill: the next run's first one must not be taken for it.
    expect((await seek(first, drill.instructorToken, drill.id, kyiv.startMs)).status).toBe(200);
    await until(() => kyivCalls().length > 0, "Kyiv oblast's alert delivered by the first process");
    await stop(first, 'SIGKILL');
    expect(kyivCalls()).toEqual([1]);
    expect(callsTo(receiver, '/default')).toHaveLength(0);

    const second = await serve('3600');
    try {
      // The drill is back, paused where it was, with its instructor token: moving it ends Kyiv oblast's alert.
      expect((await seek(second, drill.instructorToken, drill.id, kyiv.endMs)).status).toBe(200);
      await until(() => kyivCalls().length > 1, "the drill's next change delivered", 20_000);
      expect(kyivCalls()).toEqual([1, 0]);
      // The default session, created anew at 3600x, reaches its first changes within seconds.
      await until(() => callsTo(receiver, '/default').length >= 2, 'the default session\'s changes delivered', 20_000);
      uaAlertRegionsSchema.parse(callsTo(receiver, '/default').map((c) => c.body));
      expect(callsTo(receiver, '/replaced')).toHaveLength(0);
      expect(callsTo(receiver, '/removed')).toHaveLength(0);
    } finally {
      await stop(second, 'SIGTERM');
      await receiver.close();
    }
  });
});
