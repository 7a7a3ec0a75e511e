/**
 * What an instructor adds to a running session: injected events and messages, within their
 * allowance (by default a few a minute, and a cap per session), and the event an inject becomes
 * (numbered `inject-N`, placed at the current position, described when it has no text). Apart
 * from Session so that its controls stay short and this allowance has one home.
 */
import type { z } from 'zod';
import { describeEvent } from '../domain/describe.ts';
import type { injectedEventSchema, ScenarioEvent } from '../domain/events.ts';
import type { Scenario } from '../domain/scenario.ts';
import { formatIsoInZone } from '../domain/time.ts';
import { Attempts, tooMany, type Quotas } from './quotas.ts';

export type InjectedInput = z.output<typeof injectedEventSchema>;

/** The allowance of one session: injected events in all and a minute, messages sharing the minute's. */
export class InjectAllowance {
  private injected = 0;
  private readonly perMinute: Attempts;

  constructor(
    private readonly quotas: Quotas,
    now: () => number,
  ) {
    this.perMinute = new Attempts(quotas.injectsPerMinute, now, false);
  }

  /** Counts an injected event and returns its number (1, 2, ...); throws past either allowance. */
  event(): number {
    if (this.injected >= this.quotas.injectsPerSession) throw tooMany(`a session may inject ${this.quotas.injectsPerSession} events in all`, 3_600_000);
    this.minute(`at most ${this.quotas.injectsPerMinute} injected events a minute`);
    this.injected += 1;
    return this.injected;
  }

  /** Counts a message; throws past the minute's allowance. */
  message(): void {
    this.minute(`at most ${this.quotas.injectsPerMinute} injects and messages a minute`);
  }

  /** A resumed drill's injected events count as made. */
  restored(count: number): void {
    this.injected = count;
  }

  private minute(refusal: string): void {
    const wait = this.perMinute.blockedFor('inject') || this.perMinute.record('inject');
    if (wait > 0) throw tooMany(refusal, wait);
  }
}

/** Inject number `n` as an event at `positionMs` of `scenario`. */
export function injectedEvent(input: InjectedInput, n: number, positionMs: number, scenario: Scenario): ScenarioEvent {
  const { text, note, ...fields } = input;
  const base = {
    ...fields,
    id: `inject-${n}`,
    atMs: positionMs,
    time: formatIsoInZone(scenario.startMs + positionMs, scenario.timeZone),
    reconstructed: true,
    note: note ?? 'injected by the instructor during the drill',
  };
  return { ...base, text: text ?? describeEvent({ ...base, text: { en: '' } } as ScenarioEvent) } as ScenarioEvent;
}
