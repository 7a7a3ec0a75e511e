/** The REST calls the page makes, typed by the shared contract. */
import type { z } from 'zod';
import type { CreatedSession } from '../server/contract/session.ts';
import type { joinAnswerSchema } from '../server/contract/wire.ts';
import type { Scenario } from '../server/domain/scenario.ts';
import type { ScenarioListing } from '../server/contract/scenarios.ts';

export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new RequestFailed(response.status, body.error?.code ?? 'internal', body.error?.message ?? response.statusText);
  return body;
}

export const listScenarios = () => call<ScenarioListing[]>('/api/scenarios');
export const getScenario = (id: string) => call<Scenario>(`/api/scenarios/${encodeURIComponent(id)}`);
export type JoinAnswer = z.infer<typeof joinAnswerSchema>;
export const joinLookup = (code: string) => call<JoinAnswer>(`/api/join/${encodeURIComponent(code)}`);

export function createSession(request: { scenarioId: string; kind?: 'watch' | 'drill'; positionMs?: number; speed?: number; autoplay?: boolean; regions?: string[] }) {
  return call<CreatedSession>('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
}

/** Instructor tokens stay in this tab: kept out of the address bar so a shared link never carries one. */
export function rememberToken(sessionId: string, token: string): void {
  sessionStorage.setItem(`air-raid-sim.token.${sessionId}`, token);
}

export function tokenFor(sessionId: string): string | undefined {
  return sessionStorage.getItem(`air-raid-sim.token.${sessionId}`) ?? undefined;
}

/** A REST call with the instructor's token. */
export function asInstructor<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  return call<T>(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
}
