// Small display formatters shared by the panes.

const grouping = new Intl.NumberFormat('en-US');

/** 1234 → "1,234" */
export function count(n: number): string {
  return grouping.format(n);
}

export function seconds(t: number, digits: number): string {
  return t.toFixed(digits);
}

export function bytesSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function hexByte(b: number): string {
  return HEX[b]!;
}

export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** A subtle row colour class for the packet list, from the protocol column and the info text. */
export function rowTone(protocol: string, info: string): string {
  if (/\[(Malformed|Dissector bug)/.test(info)) return 'tone-bad';
  const p = protocol.toUpperCase();
  if (p === 'TCP' || p === 'HTTP' || p === 'TLSV1.2' || p === 'TLSV1.3' || p.startsWith('TLS') || p.startsWith('SSL')) {
    if (/\[RST/.test(info)) return 'tone-bad';
    if (/\[TCP (Retransmission|Dup ACK|Out-Of-Order|Previous segment|ZeroWindow|Window Full|Spurious)/.test(info)) return 'tone-warn';
    if (p === 'TCP' && /\[(SYN|FIN)/.test(info)) return 'tone-ctl';
  }
  if (p === 'HTTP' || p === 'HTTP/JSON' || p === 'HTTP/XML') return 'tone-http';
  if (p.startsWith('TLS') || p.startsWith('SSL')) return 'tone-tls';
  if (p === 'TCP') return 'tone-tcp';
  if (p === 'DNS' || p === 'MDNS' || p === 'LLMNR') return 'tone-dns';
  if (p === 'UDP' || p === 'DHCP' || p === 'NTP' || p === 'SSDP') return 'tone-udp';
  if (p === 'ARP' || p === 'RARP') return 'tone-arp';
  if (p.startsWith('ICMP')) return /unreachable|exceeded/i.test(info) ? 'tone-bad' : 'tone-icmp';
  return '';
}
