/**
 * `air-raid-sim/client`: the typed protocol client. See the README, "Testing your alert app".
 */
export { connect, SimClient, type ClientStats, type ConnectOptions, type EventBatch, type Gap, type SimSocket } from './client.ts';
export { Sequencer, type SequencedItem, type SeqHole } from './sequencer.ts';
export type { ClockMessage, Roster, Snapshot } from '../../server/contract/session.ts';
export type { FaultProfileInput, FaultReport } from '../../server/contract/faults.ts';
export type { TimelineEvent } from '../../server/domain/events.ts';
export type { NightState } from '../../server/domain/state.ts';
export { reduce } from '../../server/domain/reduce.ts';
