// HTTP/1.x: request and chunked response trees, columns and fields as tshark 4.0 shows them; desegmentation requests.
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/core/capture';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, Packet, type Item } from '../../src/core/dissect/packet';
import { Tvb } from '../../src/core/dissect/tvb';
import { dissectHttp } from '../../src/core/dissectors/http';
import { ascii as text, dummyCapture, hex } from '../helpers/pcap';

/** A first-pass packet for frame `num` of a TCP conversation 10.0.0.1:40000 <-> 10.0.0.2:80. */
function packet(cap: Capture, num: number, fromClient: boolean): Packet {
  const pkt = new Packet(cap.meta(num), new Uint8Array(1), cap.session, true, true);
  pkt.p.srcAddr = fromClient ? 0x0a000001 : 0x0a000002;
  pkt.p.dstAddr = fromClient ? 0x0a000002 : 0x0a000001;
  pkt.p.srcPort = fromClient ? 40000 : 80;
  pkt.p.dstPort = fromClient ? 80 : 40000;
  pkt.p.canDesegment = true;
  return pkt;
}

/** The tree without expert-info subtrees. */
function withoutExperts(items: readonly Item[]): Item[] {
  return items
    .filter((it) => it.f.abbrev !== 'http.chat' && it.f.abbrev !== '_ws.expert')
    .map((it) => ({ ...it, children: it.children ? withoutExperts(it.children) : null }));
}

function fieldValues(pkt: Packet, abbrev: string): string {
  const out: string[] = [];
  const walk = (items: readonly Item[]) => {
    for (const it of items) {
      if (it.f.abbrev === abbrev) out.push(fieldText(it.f, it.v));
      if (it.children) walk(it.children);
    }
  };
  walk(pkt.items);
  return out.join(',');
}

// 40000 > 80: GET /index.html?a=1&b=2 HTTP/1.1
//   0x0000:  4745 5420 2f69 6e64 6578 2e68 746d 6c3f  GET /index.html?
//   0x0010:  613d 3126 623d 3220 4854 5450 2f31 2e31  a=1&b=2 HTTP/1.1
//   0x0020:  0d0a 486f 7374 3a20 6578 616d 706c 652e  ..Host: example.
//   0x0030:  636f 6d0d 0a55 7365 722d 4167 656e 743a  com..User-Agent:
//   0x0040:  2074 6573 740d 0a41 7574 686f 7269 7a61   test..Authoriza
//   0x0050:  7469 6f6e 3a20 4261 7369 6320 6458 4e6c  tion: Basic dXNl
//   0x0060:  636a 7077 5958 4e7a 0d0a 0d0a            cjpwYXNz....
const request = hex(`474554202f696e6465782e68746d6c3f613d3126623d3220485454502f312e310d0a486f73743a206578616d706c652e636f6d0d0a
  557365722d4167656e743a20746573740d0a417574686f72697a6174696f6e3a2042617369632064584e6c636a707759584e7a0d0a0d0a`);

// 80 > 40000: HTTP/1.1 200 OK, chunked "hello" + " world!"
//   0x0000:  4854 5450 2f31 2e31 2032 3030 204f 4b0d  HTTP/1.1 200 OK.
//   0x0010:  0a43 6f6e 7465 6e74 2d54 7970 653a 2074  .Content-Type: t
//   0x0020:  6578 742f 706c 6169 6e0d 0a54 7261 6e73  ext/plain..Trans
//   0x0030:  6665 722d 456e 636f 6469 6e67 3a20 6368  fer-Encoding: ch
//   0x0040:  756e 6b65 640d 0a0d 0a35 0d0a 6865 6c6c  unked....5..hell
//   0x0050:  6f0d 0a37 0d0a 2077 6f72 6c64 210d 0a30  o..7.. world!..0
//   0x0060:  0d0a 0d0a                                ....
const response = hex(`485454502f312e3120323030204f4b0d0a436f6e74656e742d547970653a20746578742f706c61696e0d0a
  5472616e736665722d456e636f64696e673a206368756e6b65640d0a0d0a350d0a68656c6c6f0d0a370d0a20776f726c64210d0a300d0a0d0a`);

describe('http', () => {
  it('dissects a request and a chunked response as tshark does', () => {
    const cap = dummyCapture(2);
    const req = packet(cap, 1, true);
    dissectHttp(new Tvb(request, 0, 0), req, null);
    // (tshark also shows the first line's chat expert info under it; its layout belongs to the Packet class)
    expect(treeText(withoutExperts(req.items))).toBe(`Hypertext Transfer Protocol
  GET /index.html?a=1&b=2 HTTP/1.1\\r\\n
    Request Method: GET
    Request URI: /index.html?a=1&b=2
      Request URI Path: /index.html
      Request URI Query: a=1&b=2
        Request URI Query Parameter: a=1
        Request URI Query Parameter: b=2
    Request Version: HTTP/1.1
  Host: example.com\\r\\n
  User-Agent: test\\r\\n
  Authorization: Basic dXNlcjpwYXNz\\r\\n
    Credentials: user:pass
  \\r\\n
  [Full request URI: http://example.com/index.html?a=1&b=2]
  [HTTP request 1/1]
`);
    expect(req.protocolCol.text).toBe('HTTP');
    expect(req.info.text).toBe('GET /index.html?a=1&b=2 HTTP/1.1 ');
    // tshark: GET  /index.html?a=1&b=2  example.com    user:pass
    expect(fieldValues(req, 'http.request.method')).toBe('GET');
    expect(fieldValues(req, 'http.request.uri')).toBe('/index.html?a=1&b=2');
    expect(fieldValues(req, 'http.host')).toBe('example.com');
    expect(fieldValues(req, 'http.authbasic')).toBe('user:pass');

    const res = packet(cap, 2, false);
    dissectHttp(new Tvb(response, 0, 0), res, null);
    expect(treeText(res.items)).toContain(`  \\r\\n
  [HTTP response 1/1]
  [Time since request: 1.000000000 seconds]
  [Request in frame: 1]
  [Request URI: http://example.com/index.html?a=1&b=2]
  HTTP chunked response
    Data chunk (5 octets)
      Chunk size: 5 octets
      Chunk data: 68656c6c6f
      Chunk boundary: 0d0a
    Data chunk (7 octets)
      Chunk size: 7 octets
      Chunk data: 20776f726c6421
      Chunk boundary: 0d0a
    End of chunked encoding
      Chunk size: 0 octets
    \\r\\n
  File Data: 12 bytes
Line-based text data: text/plain (1 lines)
  hello world!
`);
    expect(res.info.text).toBe('HTTP/1.1 200 OK  (text/plain)');
    // tshark: 200  hello world!
    expect(fieldValues(res, 'http.response.code')).toBe('200');
    expect(fieldValues(res, 'http.file_data')).toBe('hello world!');
    expect(fieldValues(res, 'http.request_in')).toBe('1');
    expect(res.layers).toEqual(['http', 'data-text-lines']);
  });

  it('asks TCP for the rest of the headers, then of the body', () => {
    const cap = dummyCapture(1);
    let pkt = packet(cap, 1, false);
    dissectHttp(new Tvb(text('HTTP/1.0 200 OK\r\nContent-Le'), 0, 0), pkt, null);
    expect([pkt.p.desegmentOffset, pkt.p.desegmentLen]).toEqual([0, DESEGMENT_ONE_MORE_SEGMENT]);
    // the Info is set before asking, so TCP's "[TCP segment of a reassembled PDU]" follows it
    expect(pkt.info.text).toBe('HTTP/1.0 200 OK ');
    expect(pkt.items).toEqual([]);

    pkt = packet(cap, 1, false);
    dissectHttp(new Tvb(text('HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabcd'), 0, 0), pkt, null);
    expect([pkt.p.desegmentOffset, pkt.p.desegmentLen]).toEqual([0, 6]);

    // no length: the body runs until the server closes the connection
    pkt = packet(cap, 1, false);
    dissectHttp(new Tvb(text('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nabcd'), 0, 0), pkt, null);
    expect(pkt.p.desegmentLen).toBe(DESEGMENT_UNTIL_FIN);
  });

  it('leaves stray bytes before any message unshown', () => {
    const cap = dummyCapture(1);
    const pkt = packet(cap, 1, true);
    dissectHttp(new Tvb(text('hello world\n'), 0, 0), pkt, null);
    expect(pkt.items).toEqual([]);
    expect(pkt.p.desegmentLen).toBeUndefined();
  });
});
