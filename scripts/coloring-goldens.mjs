// `node scripts/coloring-goldens.mjs`: tshark's answer for Wireshark's default colouring rules on every fixture
// capture, into test/fixtures/golden/coloring.json. The rules are read from the colorfilters file Debian's
// Wireshark installs (/usr/share/wireshark/colorfilters: `@name@filter@[bg r,g,b][fg r,g,b]`, 16-bit channels);
// one tshark run per capture evaluates every rule's filter (a Lua listener each) and lists the frames it matches.
// test/coloring.test.ts checks src/core/coloring.ts's table against these rules and its per-frame colours
// against the first matching rule here.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { captureList } from './goldens.mjs';
import { root } from './ensure.mjs';

const exec = promisify(execFile);
const COLORFILTERS = '/usr/share/wireshark/colorfilters';
const OUT = join(root, 'test', 'fixtures', 'golden', 'coloring.json');

export function parseColorfilters(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    const m = /^@(.*)@(.*)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]\s*$/.exec(line);
    if (!m) continue;
    const n = m.slice(3).map(Number);
    rules.push({ name: m[1], filter: m[2], bg16: n.slice(0, 3), fg16: n.slice(3, 6) });
  }
  return rules;
}

/** Frame numbers as ranges: 1-4,7,9-10. */
function ranges(nums) {
  const out = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}-${nums[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

const lua = (filters) => `local filters = {${filters.map((f) => JSON.stringify(f)).join(', ')}}
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

async function main() {
  const rules = parseColorfilters(readFileSync(COLORFILTERS, 'utf8'));
  const script = join(tmpdir(), `coloring-${process.pid}.lua`);
  writeFileSync(script, lua(rules.map((r) => r.filter)));
  const captures = {};
  const caps = captureList().filter((c) => existsSync(join(root, c.path)));
  let next = 0;
  async function worker() {
    while (next < caps.length) {
      const c = caps[next++];
      const { stdout } = await exec('tshark', ['-q', '-r', join(root, c.path), '-X', `lua_script:${script}`], {
        maxBuffer: 1 << 28,
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      const lines = stdout.split('\n').slice(0, rules.length);
      captures[c.name] = lines.map((l) => (l === 'REJECTED' ? l : ranges(l ? l.split(',').map(Number) : [])));
      console.log(c.name);
    }
  }
  await Promise.all([worker(), worker()]);
  const version = (await exec('tshark', ['--version'])).stdout.split('\n')[0];
  const sorted = Object.fromEntries(Object.keys(captures).sort().map((k) => [k, captures[k]]));
  // one line per rule and per capture
  const body = [
    `{\n "version": ${JSON.stringify(version)},\n "rules": [`,
    rules.map((r) => '  ' + JSON.stringify(r)).join(',\n'),
    ' ],\n "captures": {',
    Object.entries(sorted).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n'),
    ' }\n}\n',
  ];
  writeFileSync(OUT, body.join('\n'));
  console.log(`wrote ${OUT}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
