// Makes the bench's "2 GB" capture on demand: the records of a capture made from real loopback traffic,
// repeated with their timestamps shifted past the previous copy's end, until the file passes 2 GiB
// (so file offsets need more than 31 bits). Classic pcap in, classic pcap out.
// Usage: node scripts/make-big-capture.mjs IN.pcap OUT.pcap [bytes]  → prints the packet count
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const [input, output, want = String(2 ** 31 + (1 << 20))] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: make-big-capture.mjs IN.pcap OUT.pcap [bytes]');
const target = Number(want);
const fd = openSync(input, 'r');
const head = Buffer.alloc(24);
readSync(fd, head, 0, 24, 0);
const magic = head.readUInt32LE(0);
if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${input}: not a little-endian classic pcap`);

/** Calls `each(record header, body)` for every record of the input, in file order. */
function walk(each) {
  const buf = Buffer.alloc(16 << 20);
  let have = 0;
  let pos = 24;
  for (;;) {
    const got = readSync(fd, buf, have, buf.length - have, pos);
    pos += got;
    have += got;
    let at = 0;
    while (have - at >= 16) {
      const len = buf.readUInt32LE(at + 8);
      if (have - at < 16 + len) break;
      each(buf.subarray(at, at + 16), buf.subarray(at + 16, at + 16 + len));
      at += 16 + len;
    }
    if (at === 0 && have === buf.length) throw new Error(`${input}: a record longer than ${buf.length} bytes`);
    buf.copy(buf, 0, at, have);
    have -= at;
    if (got === 0) break;
  }
}

// the input's span, so that each copy starts a second after the previous one ended
let first = -1;
let last = 0;
walk((h) => {
  const t = h.readUInt32LE(0);
  if (first < 0) first = t;
  last = Math.max(last, t);
});
const shift = last - first + 1;

const out = openSync(output, 'w');
writeSync(out, head);
let written = 24;
let packets = 0;
const block = Buffer.alloc(8 << 20);
let used = 0;
const flush = () => {
  writeSync(out, block, 0, used);
  used = 0;
};
for (let copy = 0; written < target; copy++) {
  walk((h, body) => {
    if (written >= target) return;
    if (used + 16 + body.length > block.length) flush();
    h.copy(block, used);
    block.writeUInt32LE(h.readUInt32LE(0) + copy * shift, used);
    body.copy(block, used + 16);
    used += 16 + body.length;
    written += 16 + body.length;
    packets++;
  });
}
flush();
closeSync(out);
closeSync(fd);
console.log(packets);
