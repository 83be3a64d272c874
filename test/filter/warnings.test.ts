// Yellow filters: what compiles but Wireshark 4.0 flags. Its display-filter compiler keeps a list of
// "deprecated tokens" for exactly two things, and the filter bar turns yellow for them:
//   - a protocol name that only resolves through an alias (ssl → tls, bootp → dhcp, also as a
//     prefix of a field name: ssl.handshake.type);
//   - the operator "~=" (any_ne), replaced by "!==".
// Nothing else warns in 4.0: `!=` on a multi-valued field, `a || b && c` without parentheses,
// bitwise_and, a leading-colon byte string are all plain "OK". sharkd (shipped with tshark) answers
// {"status":"Warning","warning":"Filter contains deprecated tokens"} for a filter with one; the test
// below asks it for every row when it is installed, so this table cannot drift from 4.0.
//
// The texts: for an alias, Wireshark 4.0's filter bar says '"ssl" is deprecated in favour of "tls".'
// (plus a pointer into its User's Guide); for "~=" the token's own message.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { compileFilter } from '../../src/core/filter';
import '../../src/core/dissectors';

const TILDE = 'The operator "~=" is deprecated, use "!==" instead.';
const SSL = '"ssl" is deprecated in favour of "tls".';
const BOOTP = '"bootp" is deprecated in favour of "dhcp".';

/** (filter, the warnings our compiler gives: none means green) */
const TABLE: [filter: string, warnings: string[]][] = [
  // deprecated operator
  ['tcp.port ~= 80', [TILDE]],
  ['ip.addr ~= 10.0.0.1 || udp.port ~= 53', [TILDE]],
  ['!(tcp.port ~= 80)', [TILDE]],
  // aliases, as a protocol and as the prefix of a field
  ['ssl', [SSL]],
  ['bootp', [BOOTP]],
  ['ssl.handshake.type == 1', [SSL]],
  ['ssl.record.version', [SSL]],
  ['bootp.option.type == 53', [BOOTP]],
  ['ssl || ssl.handshake', [SSL]],
  ['bootp && ssl', [BOOTP, SSL]],
  ['tcp.port ~= 443 && ssl', [TILDE, SSL]],
  // what 4.0 accepts without a word
  ['tls', []],
  ['dhcp', []],
  ['tls.handshake.type == 1', []],
  ['tcp.port !== 80', []],
  ['tcp.port != 80', []],
  ['ip.addr != 10.0.0.1', []],
  ['tcp.port ne 80', []],
  ['tcp.port any_ne 80', []],
  ['tcp or udp and ip', []],
  ['not tcp and udp', []],
  ['tcp.port == 80 || tcp.port == 443 && ip', []],
  ['tcp.flags & 0x02', []],
  ['tcp.flags bitwise_and 0x02', []],
  ['eth.addr == :ff:ff:ff:ff:ff:ff', []],
  ['frame contains 47:45:54', []],
  ['tcp.port in {80, 443, 8000..8100}', []],
  ['ip.proto == TCP', []],
  ['tcp.flags.syn == TRUE', []],
];

describe('filters Wireshark 4.0 flags as deprecated (yellow)', () => {
  it.each(TABLE)('%s', (filter, warnings) => {
    const r = compileFilter(filter);
    if (!r.ok) throw new Error(`${filter}: ${r.error.message}`);
    expect(r.filter.warnings).toEqual(warnings);
  });
});

/** sharkd's verdict for each filter: 'OK', 'Warning' or 'Error', or null when sharkd is missing. */
function sharkdVerdicts(filters: string[]): (string | null)[] | null {
  const input = filters.map((f, i) => JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'check', params: { filter: f } })).join('\n') + '\n';
  const r = spawnSync('sharkd', ['-'], { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status === null) return null;
  const out: (string | null)[] = filters.map(() => null);
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { id: number; result?: { status: string }; error?: unknown };
    out[m.id - 1] = m.error ? 'Error' : (m.result?.status ?? null);
  }
  return out;
}

describe('the table agrees with sharkd (Wireshark 4.0) when it is installed', () => {
  const verdicts = sharkdVerdicts(TABLE.map(([f]) => f));
  it.skipIf(!verdicts)('every row: warning exactly where sharkd warns', () => {
    const ours = TABLE.map(([f]) => {
      const r = compileFilter(f);
      return !r.ok ? 'Error' : r.filter.warnings.length ? 'Warning' : 'OK';
    });
    const rows = TABLE.map(([f], i) => `${f} → ${verdicts![i]}`);
    expect(TABLE.map(([f], i) => `${f} → ${ours[i]}`)).toEqual(rows);
  });
});
