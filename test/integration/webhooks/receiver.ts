/** A webhook receiver on 127.0.0.1: fails its first `failFirst` calls, records each delivery once by its idempotency key. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '../../../server/contract/webhooks.ts';

export interface Receiver {
  readonly url: string;
  /** Every call, in order: its key, path and JSON body, and the status answered. */
  readonly calls: Array<{ key: string; status: number; path: string; body: unknown }>;
  /** Deliveries recorded, by idempotency key (each once). */
  readonly recorded: Map<string, WebhookPayload>;
  /** Calls whose signature did not verify. */
  badSignatures: number;
  failFirst: number;
  close(): Promise<void>;
}

export async function startReceiver(secret: string | null, failFirst = 0): Promise<Receiver> {
  const receiver = { calls: [], recorded: new Map(), badSignatures: 0, failFirst } as unknown as Receiver & { url: string; close(): Promise<void> };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      if (secret !== null) {
        const expected = `sha256=${createHmac('sha256', secret).update(`${req.headers['x-sim-timestamp']}.${body}`).digest('hex')}`;
        const got = String(req.headers['x-sim-signature'] ?? '');
        if (got.length !== expected.length || !timingSafeEqual(Buffer.from(got), Buffer.from(expected))) receiver.badSignatures += 1;
      }
      const status = receiver.calls.length < receiver.failFirst ? 500 : 200;
      receiver.calls.push({ key, status, path: req.url ?? '', body: JSON.parse(body) as unknown });
      if (status === 200 && !receiver.recorded.has(key)) receiver.recorded.set(key, JSON.parse(body) as WebhookPayload);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return receiver;
}
