// MAC name resolution: vendor prefixes from the IEEE registry, well-known addresses, and the short-name rules,
// checked against what tshark 4.0 prints for the MACs in the test captures.
import { describe, expect, it } from 'vitest';
import { resolveEther } from '../../src/core/dissectors/names';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { shortName } from '../../scripts/build-oui.mjs';

const mac = (s: string) => Uint8Array.from(s.split(':').map((x) => parseInt(x, 16)));

describe('resolveEther', () => {
  it('names vendor prefixes as tshark does for the captured MACs', () => {
    // [address, what tshark 4.0 printed] from the generated and public captures
    const seen: [string, string][] = [
      ['00:20:d2:5a:fb:3f', 'RadDataC_5a:fb:3f'],
      ['00:80:ea:81:88:63', 'ADVAOpti_81:88:63'],
      ['00:00:0c:07:ac:01', 'All-HSRP-routers_01'],
      ['00:0b:be:72:15:00', 'Cisco_72:15:00'],
      ['00:13:10:8d:1d:72', 'Cisco-Li_8d:1d:72'],
      ['00:15:17:cc:e5:46', 'IntelCor_cc:e5:46'],
      ['00:16:35:a4:c1:c6', 'HewlettP_a4:c1:c6'],
      ['00:1f:33:d9:81:60', 'Netgear_d9:81:60'],
      ['00:0d:54:9c:5c:0b', '3Com_9c:5c:0b'],
      ['00:60:97:07:69:ea', '3Com_07:69:ea'],
      ['00:00:86:05:80:da', 'Megahert_05:80:da'],
      ['00:50:56:c0:00:08', 'VMware_c0:00:08'],
      ['00:11:22:33:44:55', 'CIMSYS_33:44:55'],
      ['00:22:33:44:55:66', 'ADBBroad_44:55:66'],
      ['b0:99:28:c8:d6:6c', 'Fujitsu_c8:d6:6c'],
      ['cc:b2:55:f4:62:92', 'D-LinkIn_f4:62:92'],
      ['a8:a1:59:bf:f2:1e', 'ASRockIn_bf:f2:1e'],
      ['98:5f:d3:3c:ef:ab', 'Microsof_3c:ef:ab'],
      ['00:00:01:00:00:00', 'Xerox_00:00:00'],
    ];
    for (const [m, want] of seen) expect(resolveEther(mac(m)), m).toBe(want);
  });

  it('knows the special and well-known addresses', () => {
    const seen: [string, string][] = [
      ['ff:ff:ff:ff:ff:ff', 'Broadcast'],
      ['00:00:00:00:00:00', '00:00:00_00:00:00'],
      ['01:00:5e:00:00:fb', 'IPv4mcast_fb'],
      ['01:00:5e:00:01:01', 'IPv4mcast_01:01'],
      ['01:00:5e:7f:ff:fa', 'IPv4mcast_7f:ff:fa'],
      ['33:33:00:00:00:16', 'IPv6mcast_16'],
      ['33:33:ff:07:69:ea', 'IPv6mcast_ff:07:69:ea'],
      ['01:80:c2:00:00:00', 'Spanning-tree-(for-bridges)_00'],
      ['01:80:c2:00:00:0e', 'LLDP_Multicast'],
      ['01:80:c2:00:00:14', "ISIS-all-level-1-IS's"],
      ['01:00:0c:cc:cc:cc', 'CDP/VTP/DTP/PAgP/UDLD'],
      ['00:00:5e:00:01:01', 'IETF-VRRP-VRID_01'],
      ['aa:00:04:00:0a:04', 'DecLocal_00:0a:04'],
      // locally administered: no vendor
      ['02:00:0a:c8:00:01', '02:00:0a:c8:00:01'],
    ];
    for (const [m, want] of seen) expect(resolveEther(mac(m)), m).toBe(want);
  });

  it('names MA-M and MA-S blocks with the bits past the block', () => {
    // tshark: IOGProdu_01:23:45 (28-bit block 20:85:93:b), Teleplat_01:23 (36-bit block 70:b3:d5:f2:f)
    expect(resolveEther(mac('20:85:93:b1:23:45'))).toBe('IOGProdu_01:23:45');
    expect(resolveEther(mac('70:b3:d5:f2:f1:23'))).toBe('Teleplat_01:23');
    expect(resolveEther(mac('70:b3:d5:71:9a:bc'))).toBe('2MTechno_0a:bc');
  });
});

describe('shortName', () => {
  it('shortens IEEE organization names the way Wireshark short names look', () => {
    expect(shortName('RAD DATA COMMUNICATIONS, LTD.')).toBe('RadDataC');
    expect(shortName('Cisco Systems, Inc')).toBe('Cisco');
    expect(shortName('TwinHan Technology Co.,Ltd')).toBe('TwinHanT');
    expect(shortName('Hewlett Packard Enterprise')).toBe('HewlettP');
    expect(shortName('XEROX CORPORATION')).toBe('Xerox');
    expect(shortName('3COM')).toBe('3Com');
    expect(shortName('ADB Broadband Italia')).toBe('ADBBroad');
    expect(shortName('Intel Corporate')).toBe('IntelCor');
  });
});
