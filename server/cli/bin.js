#!/usr/bin/env node
// The `air-raid-sim` command. The project runs its TypeScript directly through tsx's loader, so
// there is no compile step between editing a file and running it.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
