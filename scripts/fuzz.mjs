#!/usr/bin/env node
// `npm run fuzz -- --minutes N [--seed S]`: the mutation fuzzer over every capture fixture and the display-filter
// compiler (see test/fuzz/main.ts for the options and test/fuzz/engine.ts for what it does).
import { runTs } from './fuzz/run-ts.mjs';

await runTs('test/fuzz/main.ts');
