/** Sessions of the seed night for the consumer-side tests of the compatible feeds and CAP. */
import type { RunningServer } from '../../../server/server.ts';
import { api, createSession, startTestServer } from '../../helpers/server.ts';

export const SEED = '2025-12-06-barrage';

export interface SeedSession {
  readonly id: string;
  readonly token: string;
  seek(positionMs: number): Promise<void>;
}

/** A paused session of the seed night at `positionMs`, moved only by `seek`. */
export async function pausedSeed(server: RunningServer, positionMs: number, extra: Record<string, unknown> = {}): Promise<SeedSession> {
  const created = await createSession(server, { scenarioId: SEED, positionMs, autoplay: false, ...extra });
  return {
    id: created.id,
    token: created.instructorToken,
    async seek(target: number) {
      const { status, body } = await api(server, `/api/sessions/${created.id}/control`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.instructorToken}` },
        json: { action: 'seek', positionMs: target },
      });
      if (status !== 200) throw new Error(`seek failed: ${status} ${JSON.stringify(body)}`);
    },
  };
}

export interface AlertSpan {
  readonly region: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly startMsEpoch: number;
}

/** The first alert of `region` in the seed night, read from the scenario as any client could. */
export async function firstAlert(server: Pick<RunningServer, 'url'>, region: string): Promise<AlertSpan> {
  const { body } = await api<{ startMs?: number; start: string; events: Array<{ type: string; region?: string; atMs: number }> }>(server, `/api/scenarios/${SEED}`);
  const start = body.events.find((e) => e.type === 'alert.start' && e.region === region);
  const end = body.events.find((e) => e.type === 'alert.end' && e.region === region && start && e.atMs > start.atMs);
  if (!start || !end) throw new Error(`the seed night has no alert in ${region}`);
  return { region, startMs: start.atMs, endMs: end.atMs, startMsEpoch: Date.parse(body.start) + start.atMs };
}

/** A test server and a paused session of the seed night a minute before Kyiv oblast's first alert. */
export async function kyivNight(): Promise<{ server: RunningServer; kyiv: AlertSpan; seed: SeedSession }> {
  const server = await startTestServer();
  const kyiv = await firstAlert(server, 'UA-32');
  return { server, kyiv, seed: await pausedSeed(server, kyiv.startMs - 60_000) };
}
