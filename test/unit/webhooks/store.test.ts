/** The webhook store on SQLite (a real file, reopened) and the retry schedule. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/storage/database.ts';
import { checkTarget, retryDelayMs, sign } from '../../../server/webhooks/dispatcher.ts';
import { SqliteWebhookStore } from '../../../server/webhooks/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'air-raid-sim-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const delivery = (id: string, nextAtMs = 0) => ({ id, webhookId: 'wh_1', url: 'http://127.0.0.1:9/x', secret: 's', body: '{}', nextAtMs, createdAtMs: nextAtMs });

describe('SqliteWebhookStore', () => {
  it('keeps registrations, pending deliveries and attempts across a reopen, and queues a delivery id once', () => {
    let db = openDatabase({ dir });
    let store = new SqliteWebhookStore(db);
    store.register({ id: 'wh_1', sessionId: 's1', url: 'http://127.0.0.1:9/x', secret: 'secret', tokenHash: 'h', createdAtMs: 1 });
    expect(store.enqueue(delivery('d1', 10))).toBe(true);
    expect(store.enqueue(delivery('d1', 10))).toBe(false);
    expect(store.enqueue(delivery('d2', 20))).toBe(true);
    store.recordAttempt('d1', { n: 1, atMs: 10, status: 500, latencyMs: 3, error: null }, { state: 'pending', nextAtMs: 1000 });
    db.close();

    db = openDatabase({ dir });
    store = new SqliteWebhookStore(db);
    expect(store.registrations('s1').map((r) => r.id)).toEqual(['wh_1']);
    expect(store.due(500, 10).map((d) => d.id)).toEqual(['d2']);
    expect(store.due(1000, 10).map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(store.pendingCount('wh_1')).toBe(2);
    store.recordAttempt('d1', { n: 2, atMs: 1000, status: 200, latencyMs: 4, error: null }, { state: 'delivered', nextAtMs: 1000 });
    const d1 = store.log('wh_1', 10).find((d) => d.id === 'd1')!;
    expect(d1.state).toBe('delivered');
    expect(d1.attemptLog.map((a) => a.status)).toEqual([500, 200]);
    expect(store.remove('wh_1')).toBe(true);
    expect(store.due(10_000, 10)).toEqual([]);
    db.close();
  });
});

describe('claiming deliveries', () => {
  it('gives each of two processes sharing the file its own deliveries, and a claim that lapsed to whoever asks next', () => {
    const shared = mkdtempSync(join(dir, 'claims-'));
    const a = new SqliteWebhookStore(openDatabase({ dir: shared }));
    const b = new SqliteWebhookStore(openDatabase({ dir: shared }));
    a.register({ id: 'wh_1', sessionId: 's1', url: 'http://127.0.0.1:9/x', secret: 'secret', tokenHash: 'h', createdAtMs: 1 });
    for (let i = 0; i < 6; i++) a.enqueue(delivery(`c${i}`, i));
    const first = a.claim(100, 4, 5000).map((d) => d.id);
    const second = b.claim(100, 4, 5000).map((d) => d.id);
    expect(first).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(second).toEqual(['c4', 'c5']);
    expect(b.claim(4999, 10, 9000)).toEqual([]); // all taken until 5000
    a.recordAttempt('c0', { n: 1, atMs: 100, status: 200, latencyMs: 1, error: null }, { state: 'delivered', nextAtMs: 100 });
    // c1..c5 were never answered (their process died): due again once the claim lapses.
    expect(b.claim(5000, 10, 20_000).map((d) => d.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    // A process alone with its database frees its old claims at start: due at once.
    b.releaseClaims();
    expect(a.claim(5001, 10, 30_000).map((d) => d.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    // A retry's own time is kept: an answered attempt clears the claim, not the backoff.
    a.recordAttempt('c1', { n: 1, atMs: 5001, status: 500, latencyMs: 1, error: null }, { state: 'pending', nextAtMs: 60_000 });
    a.releaseClaims();
    expect(a.claim(6000, 10, 40_000).map((d) => d.id)).toEqual(['c2', 'c3', 'c4', 'c5']);
  });
});

describe('delivery rules', () => {
  it('doubles the wait from the base, caps it, and scales it by a factor in [0.5, 1)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, 0))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(3, 1000, 60_000, 0.999)).toBeCloseTo(3998, 0);
    expect(retryDelayMs(20, 1000, 60_000, 0.5)).toBe(45_000);
  });

  it('signs timestamp and body with HMAC-SHA256', () => {
    expect(sign('k', '1', '{}')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(sign('k', '1', '{}')).not.toBe(sign('k', '2', '{}'));
  });

  it('accepts http and https targets only, and only listed hosts when a list is given', () => {
    expect(checkTarget('https://hooks.example.org/a').hostname).toBe('hooks.example.org');
    expect(() => checkTarget('javascript:alert(1)')).toThrow(/http or https/);
    expect(() => checkTarget('not a url')).toThrow(/not a URL/);
    expect(() => checkTarget('http://a:b@example.org/')).toThrow(/user name/);
    expect(() => checkTarget('https://other.example.org/', ['hooks.example.org'])).toThrow(/only to/);
  });
});
