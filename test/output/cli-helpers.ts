// What the output tests share: running the CLI in-process, and finding a fixture or sample capture by name.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';

export const root = join(__dirname, '..', '..');

/** Run `wirelens args…` and collect what it prints. */
export function cli(args: string[]): { out: string; err: string; code: number } {
  let out = '';
  let err = '';
  const code = run(args, (s) => (err += s), (s) => (out += s));
  return { out, err, code };
}

/** A capture of test/fixtures/captures, else of public/samples. */
export function capturePath(name: string): string {
  const a = join(root, 'test', 'fixtures', 'captures', name);
  return existsSync(a) ? a : join(root, 'public', 'samples', name);
}
