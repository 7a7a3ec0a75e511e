// Entry of a scenario-parsing worker thread. A worker starts with no loader of its own, so it
// registers tsx's, as server/cli/bin.js does for the main thread, then runs the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
