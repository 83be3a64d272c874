// `node scripts/column-goldens.mjs [NAME…]`: what tshark prints in custom columns ("Apply as Column"), kept as
// test/fixtures/golden/columns/<capture>.json; test/output/columns.test.ts compares our column text with it.
//
// Each field is asked for twice, as a column showing values (%Cus:FIELD:0:U) and one showing strings
// (%Cus:FIELD:0:R, what Apply as Column makes), and read back with -T fields -e _ws.col.<title>.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCaptures, tsharkRows } from './goldens.mjs';
import { root } from './ensure.mjs';

const outDir = join(root, 'test', 'fixtures', 'golden', 'columns');
/** frames kept per capture (the rules are the same for every frame; this keeps the files small) */
export const COLUMN_FRAMES = 120;
export const COLUMN_CAPTURES = [
  '01_http_get_loopback.pcap',
  '02_tcp_connection_refused.pcap',
  '03_udp_port_unreachable.pcap',
  '04_ipv4_fragmented_ping_netns.pcap',
  '04_ipv6_fragmented_ping_netns.pcap',
  '07_sll2_any_netns.pcap',
  '08_tls_clienthello_loopback.pcap',
  '20_tcp_loss_sack_netns.pcap',
  '24_tcp_keepalive_netns.pcap',
  'tcpdump__dns_udp.pcap',
  'tcpdump__icmpv6.pcap',
  'tcpdump__802.1ad_QinQ.pcap',
  'zeek__communityid-arp.pcap',
  'zeek__tcp-options.pcap',
  'zeek__http-vlan-0.pcap',
];
export const COLUMN_FIELDS = [
  // a protocol, a label-only field, the frame
  'eth', 'ip', 'tcp', 'udp', 'dns', 'tcp.options', 'tcp.analysis.flags',
  'frame.number', 'frame.len', 'frame.time', 'frame.time_epoch', 'frame.time_relative', 'frame.time_delta', 'frame.protocols',
  'eth.src', 'eth.dst', 'eth.type', 'eth.addr', 'vlan.id', 'vlan.etype', 'sll.pkttype', 'sll.ifindex',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
  'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.dsfield.dscp', 'ip.len', 'ip.id', 'ip.flags', 'ip.flags.df', 'ip.flags.mf',
  'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.checksum.status', 'ip.src', 'ip.dst', 'ip.addr',
  'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.src', 'ipv6.dst', 'ipv6.fraghdr.ident', 'ipv6.fraghdr.more', 'ipv6.fragment',
  'icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.ident', 'icmp.seq', 'icmpv6.type', 'icmpv6.code', 'icmpv6.nd.ns.target_address',
  'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.stream', 'tcp.len', 'tcp.seq', 'tcp.seq_raw', 'tcp.nxtseq', 'tcp.ack',
  'tcp.hdr_len', 'tcp.flags', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.str', 'tcp.window_size_value', 'tcp.window_size',
  'tcp.window_size_scalefactor', 'tcp.checksum', 'tcp.checksum.status', 'tcp.urgent_pointer', 'tcp.options.mss_val',
  'tcp.options.wscale.shift', 'tcp.options.wscale.multiplier', 'tcp.options.timestamp.tsval', 'tcp.options.sack_le',
  'tcp.option_kind', 'tcp.analysis.ack_rtt', 'tcp.analysis.acks_frame', 'tcp.analysis.bytes_in_flight', 'tcp.time_delta',
  'tcp.payload', 'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.stream',
  'dns.id', 'dns.flags', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.resp.ttl', 'dns.a', 'dns.count.answers',
  'http.request.method', 'http.request.uri', 'http.host', 'http.response.code', 'http.user_agent', 'http.content_length',
  'tls.record.version', 'tls.handshake.type', 'tls.handshake.ciphersuite', 'tls.handshake.extensions_server_name',
  'tls.handshake.extension.type', 'dhcp.option.dhcp', 'dhcp.hw.mac_addr', 'dhcp.ip.your', 'data.len',
];

async function columns(path, fields) {
  const fmt = [];
  const args = ['-r', path, '-c', String(COLUMN_FRAMES)];
  fields.forEach((f, i) => {
    fmt.push(`"u${i}","%Cus:${f}:0:U"`, `"r${i}","%Cus:${f}:0:R"`);
  });
  args.push('-o', `gui.column.format:"No.","%m",${fmt.join(',')}`, '-T', 'fields', '-E', 'separator=\u0001');
  fields.forEach((_, i) => args.push('-e', `_ws.col.u${i}`, '-e', `_ws.col.r${i}`));
  return tsharkRows(args, { sep: '\u0001' });
}

async function main() {
  const { version, captures } = await goldenCaptures(outDir, (name) => COLUMN_CAPTURES.includes(name));
  for (const { name, path } of captures) {
    const rows = await columns(path, COLUMN_FIELDS);
    // per field: the frames' values-column and strings-column texts
    const golden = { tshark: version, frames: rows.length, fields: {} };
    COLUMN_FIELDS.forEach((f, i) => {
      golden.fields[f] = { values: rows.map((r) => r[2 * i] ?? ''), strings: rows.map((r) => r[2 * i + 1] ?? '') };
    });
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(golden) + '\n');
    console.log(`${name}: ${rows.length} frames`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
