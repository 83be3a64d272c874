#!/usr/bin/env node
// Writes odd and hostile captures (empty, jumbo frame, 100 interfaces, backwards time, snaplen 0, XSS payloads,
// and on demand a multi-GB file) with our own pcap writer: see test/fuzz/make-odd.ts for the options.
import { runTs } from './fuzz/run-ts.mjs';

await runTs('test/fuzz/make-odd.ts');
