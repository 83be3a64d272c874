// Shared helpers of the statistics tests: the fixture captures that have tshark goldens, loaded in memory.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';

export const ROOT = join(__dirname, '../..');
export const FIX = join(ROOT, 'test/fixtures/captures');
export const GOLDEN = join(ROOT, 'test/fixtures/golden');

/** Fixture captures with a stats golden directory. */
export function goldenCaptures(): string[] {
  return readdirSync(FIX)
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f) && existsSync(join(GOLDEN, f, 'phs.txt')))
    .sort();
}

export function loadCapture(name: string): Capture {
  const cap = new Capture(new MemorySource(new Uint8Array(readFileSync(join(FIX, name)))));
  cap.load();
  return cap;
}
