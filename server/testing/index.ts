/** `air-raid-sim/testing`: a night in virtual time for a consumer's own tests (no server). */
export { loadScenario, playNight, virtualNight, SEED_SCENARIO_FILE, type VirtualNight, type VirtualNightOptions } from './virtual-night.ts';
