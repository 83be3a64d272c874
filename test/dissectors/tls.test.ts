// TLS: a ClientHello with SNI/ALPN/supported_versions and a ServerHello + CCS + encrypted Finished, as tshark 4.0 shows them.
import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/core/capture';
import { treeText } from '../../src/core/dissect/label';
import { fieldText } from '../../src/core/fields/format';
import { Packet, type Item } from '../../src/core/dissect/packet';
import { Tvb } from '../../src/core/dissect/tvb';
import { dissectTls } from '../../src/core/dissectors/tls';
import { dummyCapture, hex } from '../helpers/pcap';

/** A first-pass packet of the TCP conversation 10.0.0.1:40000 <-> 10.0.0.2:443. */
function packet(cap: Capture, num: number, fromClient: boolean): Packet {
  const pkt = new Packet(cap.meta(num), new Uint8Array(1), cap.session, true, true);
  pkt.p.srcAddr = fromClient ? 0x0a000001 : 0x0a000002;
  pkt.p.dstAddr = fromClient ? 0x0a000002 : 0x0a000001;
  pkt.p.srcPort = fromClient ? 40000 : 443;
  pkt.p.dstPort = fromClient ? 443 : 40000;
  pkt.p.canDesegment = true;
  return pkt;
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

// 40000 > 443: TLS 1.0 record, ClientHello (SNI example.com, ALPN h2/http1.1, TLS 1.3 + 1.2)
//   0x0000:  1603 0100 6a01 0000 6603 0300 0102 0304  ....j...f.......
//   0x0010:  0506 0708 090a 0b0c 0d0e 0f10 1112 1314  ................
//   0x0020:  1516 1718 191a 1b1c 1d1e 1f00 0004 1301  ................
//   0x0030:  c02f 0100 0039 0000 0010 000e 0000 0b65  ./...9.........e
//   0x0040:  7861 6d70 6c65 2e63 6f6d 000a 0006 0004  xample.com......
//   0x0050:  001d 0017 0010 000e 000c 0268 3208 6874  ...........h2.ht
//   0x0060:  7470 2f31 2e31 002b 0005 0403 0403 03    tp/1.1.+.......
const clientHello = hex(`160301006a010000660303000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0000041301c02f
  0100003900000010000e00000b6578616d706c652e636f6d000a00060004001d00170010000e000c02683208687474702f312e31002b00050403040303`);

// 443 > 40000: ServerHello (ALPN h2), ChangeCipherSpec, encrypted Finished
//   0x0000:  1603 0300 3502 0000 3103 0364 6566 6768  ....5...1..defgh
//   0x0010:  696a 6b6c 6d6e 6f70 7172 7374 7576 7778  ijklmnopqrstuvwx
//   0x0020:  797a 7b7c 7d7e 7f80 8182 8300 c02f 0000  yz{|}~......./..
//   0x0030:  0900 1000 0500 0302 6832 1403 0300 0101  ........h2......
//   0x0040:  1603 0300 1000 0000 0000 0000 0000 0000  ................
//   0x0050:  0000 0000                                ....
const serverFlight = hex(`16030300350200003103036465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f8081828300c02f0000
  09001000050003026832140303000101160303001000000000000000000000000000000000`);

describe('tls', () => {
  it('dissects a ClientHello as tshark does', () => {
    const cap = dummyCapture(2);
    const pkt = packet(cap, 1, true);
    dissectTls(new Tvb(clientHello, 0, 0), pkt, null);
    expect(treeText(pkt.items)).toBe(`Transport Layer Security
  TLSv1 Record Layer: Handshake Protocol: Client Hello
    Content Type: Handshake (22)
    Version: TLS 1.0 (0x0301)
    Length: 106
    Handshake Protocol: Client Hello
      Handshake Type: Client Hello (1)
      Length: 102
      Version: TLS 1.2 (0x0303)
      Random: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
        GMT Unix Time: Jan  1, 1970 18:20:51.000000000 UTC
        Random Bytes: 0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
      Session ID Length: 0
      Cipher Suites Length: 4
      Cipher Suites (2 suites)
        Cipher Suite: TLS_AES_128_GCM_SHA256 (0x1301)
        Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)
      Compression Methods Length: 1
      Compression Methods (1 method)
        Compression Method: null (0)
      Extensions Length: 57
      Extension: server_name (len=16)
        Type: server_name (0)
        Length: 16
        Server Name Indication extension
          Server Name list length: 14
          Server Name Type: host_name (0)
          Server Name length: 11
          Server Name: example.com
      Extension: supported_groups (len=6)
        Type: supported_groups (10)
        Length: 6
        Supported Groups List Length: 4
        Supported Groups (2 groups)
          Supported Group: x25519 (0x001d)
          Supported Group: secp256r1 (0x0017)
      Extension: application_layer_protocol_negotiation (len=14)
        Type: application_layer_protocol_negotiation (16)
        Length: 14
        ALPN Extension Length: 12
        ALPN Protocol
          ALPN string length: 2
          ALPN Next Protocol: h2
          ALPN string length: 8
          ALPN Next Protocol: http/1.1
      Extension: supported_versions (len=5)
        Type: supported_versions (43)
        Length: 5
        Supported Versions length: 4
        Supported Version: TLS 1.3 (0x0304)
        Supported Version: TLS 1.2 (0x0303)
      [JA3 Fullstring: 771,4865-49199,0-10-16-43,29-23,]
      [JA3: 5366faa0dba8e6f0daf3fd7ee40424b2]
`);
    expect(pkt.protocolCol.text).toBe('TLSv1');
    expect(pkt.info.text).toBe('Client Hello');
    // tshark: 1  example.com  h2,http/1.1  0x1301,0xc02f  0x0301
    expect(fieldValues(pkt, 'tls.handshake.type')).toBe('1');
    expect(fieldValues(pkt, 'tls.handshake.extensions_server_name')).toBe('example.com');
    expect(fieldValues(pkt, 'tls.handshake.extensions_alpn_str')).toBe('h2,http/1.1');
    expect(fieldValues(pkt, 'tls.handshake.ciphersuite')).toBe('0x1301,0xc02f');
    expect(fieldValues(pkt, 'tls.record.version')).toBe('0x0301');
  });

  it('follows the session into the server flight', () => {
    const cap = dummyCapture(2);
    dissectTls(new Tvb(clientHello, 0, 0), packet(cap, 1, true), null);
    const pkt = packet(cap, 2, false);
    dissectTls(new Tvb(serverFlight, 0, 0), pkt, null);
    expect(pkt.protocolCol.text).toBe('TLSv1.2');
    expect(pkt.info.text).toBe('Server Hello, Change Cipher Spec, Encrypted Handshake Message');
    // tshark: 2  h2  0xc02f  0x0303,0x0303,0x0303
    expect(fieldValues(pkt, 'tls.handshake.type')).toBe('2');
    expect(fieldValues(pkt, 'tls.handshake.extensions_alpn_str')).toBe('h2');
    expect(fieldValues(pkt, 'tls.record.version')).toBe('0x0303,0x0303,0x0303');
    expect(treeText(pkt.items)).toContain(`  TLSv1.2 Record Layer: Handshake Protocol: Encrypted Handshake Message
    Content Type: Handshake (22)
    Version: TLS 1.2 (0x0303)
    Length: 16
    Handshake Protocol: Encrypted Handshake Message
`);
  });

  it('asks TCP for the rest of a record', () => {
    const cap = dummyCapture(1);
    const pkt = packet(cap, 1, true);
    dissectTls(new Tvb(clientHello.subarray(0, 40), 0, 0), pkt, null);
    expect(pkt.p.desegmentOffset).toBe(0);
    expect(pkt.p.desegmentLen).toBe(clientHello.length - 40);
  });

  it('declines bytes that are not TLS when no session is known', () => {
    const cap = dummyCapture(1);
    const pkt = packet(cap, 1, true);
    expect(dissectTls(new Tvb(Uint8Array.from([0x3c, 0x21, 0x44, 0x4f, 0x43, 0x54]), 0, 0), pkt, null)).toBe(0);
  });
});
