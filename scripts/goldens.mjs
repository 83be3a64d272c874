// `npm run goldens`: regenerates tshark's answers for every fixture capture (summary lines, -T fields of the
// conformance field list, and the frames each conformance filter selects), committed under test/fixtures/golden.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ensureApt, root } from './ensure.mjs';

const exec = promisify(execFile);
const shared = join(root, '..', 'shared');
const fixtures = join(root, 'test', 'fixtures', 'captures');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const CAPTURE = /\.(pcap|pcapng|cap)(\.gz)?$/;

/** Copied fixtures, then the shared captures that may not be copied (read from ../shared when present). */
export function captureList() {
  const list = [];
  for (const f of readdirSync(fixtures).sort()) if (CAPTURE.test(f)) list.push({ name: f, path: relative(root, join(fixtures, f)), copied: true });
  // the Samples menu's lesson captures (http-get.pcap is a copy of a fixture)
  const samples = join(root, 'public', 'samples');
  for (const f of readdirSync(samples).sort()) {
    if (CAPTURE.test(f) && f !== 'http-get.pcap') list.push({ name: f, path: relative(root, join(samples, f)), copied: true });
  }
  const pub = join(shared, 'captures', 'public');
  if (existsSync(pub)) {
    for (const f of readdirSync(pub).sort()) {
      if (!CAPTURE.test(f) || list.some((c) => c.name === f)) continue;
      list.push({ name: f, path: relative(root, join(pub, f)), copied: false });
    }
  }
  return list;
}

/**
 * The start of a golden script: tshark installed, `dir` made, tshark's version line, and the copied captures
 * whose names `want` accepts (narrowed to the names given on the command line, when any).
 */
export async function goldenCaptures(dir, want = () => true) {
  ensureApt([['tshark', 'tshark']]);
  mkdirSync(dir, { recursive: true });
  const only = process.argv.slice(2);
  const { stdout } = await exec('tshark', ['--version']);
  const captures = captureList()
    .filter((c) => c.copied && want(c.name) && (!only.length || only.includes(c.name)))
    .map((c) => ({ name: c.name, path: join(root, c.path) }))
    .filter((c) => existsSync(c.path));
  return { version: stdout.split('\n')[0], captures };
}

/** The lines of `tshark ARGS` (empty ones dropped) split on `sep`, run with time zone `tz` and locale `lc`. */
export async function tsharkRows(args, { tz = 'UTC', lc = 'C.UTF-8', sep = '\t' } = {}) {
  const { stdout } = await exec('tshark', args, { env: { ...process.env, TZ: tz, LC_ALL: lc }, maxBuffer: 1 << 28 });
  return stdout.split('\n').filter((l) => l !== '').map((l) => l.split(sep));
}

/** The conformance field list, by group (../shared/conformance/fields.txt; a committed copy is kept beside the goldens). */
export function fieldGroups(text) {
  const groups = {};
  let name = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      name = line.slice(1).split(':')[0].trim();
      groups[name] = [];
    } else if (line.trim() && name) groups[name].push(...line.trim().split(/\s+/));
  }
  return Object.fromEntries(Object.entries(groups).filter(([, v]) => v.length));
}

export function filterList(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const luaString = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';

/** A Lua tap script that evaluates every filter in one tshark run (one listener each) and prints frame numbers. */
function luaScript(filters) {
  return `local filters = {${filters.map(luaString).join(', ')}}
local res = {}
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, "frame", f)
  if ok then
    res[i] = {}
    l.packet = function(pinfo) table.insert(res[i], pinfo.number) end
  else
    res[i] = false
  end
end
local t = Listener.new(nil, nil)
function t.draw()
  for i, f in ipairs(filters) do
    if res[i] == false then print("REJECTED") else print(table.concat(res[i], ",")) end
  end
end
`;
}

async function tshark(args) {
  const { stdout } = await exec('tshark', args, { maxBuffer: 1 << 30, env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
  return stdout;
}

async function main() {
  ensureApt([['tshark', 'tshark']]);
  const fieldsTxt = readFileSync(join(shared, 'conformance', 'fields.txt'), 'utf8');
  const filtersTxt = readFileSync(join(shared, 'conformance', 'filters.txt'), 'utf8');
  mkdirSync(goldenDir, { recursive: true });
  writeFileSync(join(goldenDir, 'fields.txt'), fieldsTxt);
  writeFileSync(join(goldenDir, 'filters.txt'), filtersTxt);
  const groups = fieldGroups(fieldsTxt);
  const allFields = Object.values(groups).flat();
  const filters = filterList(filtersTxt);
  const lua = join(goldenDir, '.filters.lua');
  writeFileSync(lua, luaScript(filters));
  const caps = captureList();
  writeFileSync(join(goldenDir, 'captures.json'), JSON.stringify(caps, null, 1) + '\n');
  // `npm run goldens -- NAME…` regenerates only the named captures (captures.json still lists them all)
  const only = process.argv.slice(2);
  if (only.length) caps.splice(0, caps.length, ...caps.filter((c) => only.includes(c.name)));
  const version = (await tshark(['--version'])).split('\n')[0];
  let next = 0;
  async function worker() {
    while (next < caps.length) {
      const c = caps[next++];
      const file = join(root, c.path);
      const dir = join(goldenDir, c.name);
      mkdirSync(dir, { recursive: true });
      const summary = await tshark(['-r', file]);
      const fieldArgs = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-o', 'tcp.desegment_tcp_streams:TRUE'];
      for (const f of allFields) fieldArgs.push('-e', f);
      const fields = await tshark(fieldArgs);
      const flt = await tshark(['-q', '-r', file, '-X', `lua_script:${lua}`]);
      const lines = flt.split('\n').slice(0, filters.length);
      writeFileSync(join(dir, 'summary.txt'), summary);
      writeFileSync(join(dir, 'fields.tsv'), allFields.join('\t') + '\n' + fields);
      writeFileSync(join(dir, 'filters.tsv'), filters.map((f, i) => `${f}\t${lines[i] ?? ''}`).join('\n') + '\n');
      console.log(`${c.name}: ${summary.split('\n').filter(Boolean).length} frames`);
    }
  }
  await Promise.all([worker(), worker()]);
  writeFileSync(join(goldenDir, 'VERSION'), `${version}\n`);
  console.log(`goldens written with ${version}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
