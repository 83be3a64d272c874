#!/usr/bin/env bash
# make-samples.sh — the lesson captures of the Samples menu (public/samples/), each made from real traffic between
# two network namespaces this script creates (and deletes again), then checked against tshark and described with
# its provenance in public/samples/README.md (which this script rewrites; http-get.pcap is left as it is).
#
# Usage (as root):  scripts/make-samples.sh [OUTPUT_DIR]        (default: public/samples)
#   ONLY="tcp-refused dns" scripts/make-samples.sh   makes just those samples (the README lists all present)
# Needs: ip (iproute2), tcpdump, tshark/capinfos, python3, curl, ping (iputils-ping), dig (bind9-dnsutils),
# openssl, nft (nftables); missing Debian packages are installed with apt-get.
#
# Topology: client C (10.80.0.1 / fd80::1) and server S (10.80.0.2 / fd80::2) joined by a veth pair with fixed
# MAC addresses and gso_max_segs 1 (so each captured TCP segment is wire-sized, as on a real network). The
# capture runs on C's interface. So that a lesson's frame numbers mean the same thing on every run:
#   - IPv4 neighbours are static (no ARP in the captures) and IPv6 is off except in the IPv6 sample, which
#     keeps Neighbor Discovery on purpose;
#   - the client's port is fixed (ip_local_port_range 40000–40000, or an explicit bind);
#   - every sample is checked (packet count or shape) and the script fails when one comes out different.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/public/samples}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[[ $(id -u) == 0 ]] || { echo "error: must run as root (ip netns, tcpdump)" >&2; exit 1; }

# tool → Debian package; whatever is missing is installed in one apt-get run
declare -A PKG=([ip]=iproute2 [tcpdump]=tcpdump [tshark]=tshark [capinfos]=tshark [python3]=python3 [curl]=curl
  [ping]=iputils-ping [dig]=bind9-dnsutils [openssl]=openssl [nft]=nftables [sha256sum]=coreutils)
MISSING=()
for t in "${!PKG[@]}"; do command -v "$t" >/dev/null || MISSING+=("${PKG[$t]}"); done
if ((${#MISSING[@]})); then
  echo "installing ${MISSING[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >&2
fi

WORK=$(mktemp -d /tmp/samples.XXXXXX)
chmod 755 "$WORK"
NC=wl-smp-c-$$
NS=wl-smp-s-$$
NB=wl-smp-b-$$
PIDS=()
C4=10.80.0.1 S4=10.80.0.2 C6=fd80::1 S6=fd80::2
CMAC=02:00:0a:50:00:01 SMAC=02:00:0a:50:00:02

NETNS=("$NC" "$NS" "$NB")
# shellcheck source=netns-common.sh
source "$(dirname "$0")/netns-common.sh"

# ------------------------------------------------------------------------------------------ helper programs
cat >"$WORK/tool.py" <<'PY'
"""Servers and clients for make-samples.sh: a tiny authoritative DNS server, a UDP echo server and its client."""
import socket, struct, sys

def dns_serve(addr, ready):
    # the zone: name -> {qtype: [rdata]}; anything else under wirelens.test is NXDOMAIN
    zone = {
        b'www.wirelens.test': {1: [socket.inet_aton('10.80.0.2')], 28: [socket.inet_pton(socket.AF_INET6, 'fd80::2')]},
        b'mail.wirelens.test': {1: [socket.inet_aton('10.80.0.25')]},
    }
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    open(ready, 'w').close()
    while True:
        q, peer = s.recvfrom(4096)
        if len(q) < 12:
            continue
        qid, flags, qd, _an, _ns, ar = struct.unpack('!6H', q[:12])
        i, labels = 12, []
        while i < len(q) and q[i]:
            labels.append(q[i + 1:i + 1 + q[i]]); i += 1 + q[i]
        qname = b'.'.join(labels).lower()
        qtype, _qclass = struct.unpack('!HH', q[i + 1:i + 5])
        question = q[12:i + 5]
        edns = ar > 0 and q[i + 5:i + 8] == b'\x00\x00\x29'  # an OPT record follows the question
        rdata = zone.get(qname, {}).get(qtype, [])
        rcode = 0 if qname in zone else 3
        rflags = 0x8000 | 0x0400 | (flags & 0x0100) | rcode    # QR, AA, RD copied
        ans = b''.join(b'\xc0\x0c' + struct.pack('!HHIH', qtype, 1, 300, len(r)) + r for r in rdata)
        auth = b''
        if not rdata:  # NODATA or NXDOMAIN: the zone's SOA, as a negative answer carries
            soa = b'\x02ns\x08wirelens\x04test\x00\x0ahostmaster\x08wirelens\x04test\x00' \
                + struct.pack('!5I', 2024010101, 3600, 600, 86400, 60)
            auth = b'\x08wirelens\x04test\x00' + struct.pack('!HHIH', 6, 1, 60, len(soa)) + soa
        opt = b'\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00' if edns else b''
        head = struct.pack('!6H', qid, rflags, 1, len(rdata), 1 if auth else 0, 1 if opt else 0)
        s.sendto(head + question + ans + auth + opt, peer)

def udp_echo(addr, port, ready):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    open(ready, 'w').close()
    while True:
        d, peer = s.recvfrom(4096)
        s.sendto(d.upper(), peer)

def udp_client(addr, port, closed_port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('', 40000))
    s.settimeout(2)
    for line in (b'hello from the client', b'datagram number two', b'and a third one'):
        s.sendto(line, (addr, int(port)))
        print(s.recvfrom(4096)[0].decode())
    # nobody listens on this port: the server's kernel answers with ICMP port unreachable
    s.connect((addr, int(closed_port)))
    s.send(b'anyone there?')
    try:
        s.recv(4096)
    except ConnectionRefusedError:
        print('port unreachable')

cmd, *args = sys.argv[1:]
{'dns-serve': dns_serve, 'udp-echo': udp_echo, 'udp-client': udp_client}[cmd](*args)
PY
TOOL="python3 $WORK/tool.py"

# ------------------------------------------------------------------------------------------ topology
wait_file() { local i; for i in $(seq 1 100); do [[ -e $1 ]] && return 0; sleep 0.1; done; die "$1 did not appear"; }

# netns_up MTU ipv6(0/1) [bridge(0/1)]: the two namespaces and their veth (or two veths and a bridge between)
netns_up() {
  local mtu=$1 v6=$2 ns
  for ns in "$NC" "$NS"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1 net.ipv4.tcp_ecn=0 \
      net.ipv4.ip_local_port_range="40000 40000" net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.all.disable_ipv6=$((1 - v6)) net.ipv6.conf.default.disable_ipv6=$((1 - v6))
  done
  if ((${3:-0})); then
    # a bridge in a third namespace between them, where a lesson's loss happens on the wire
    ip netns add "$NB"
    ip -n "$NB" link set lo up
    ip -n "$NB" link add br0 type bridge
    ip link add c0 netns "$NC" type veth peer name bc netns "$NB"
    ip link add s0 netns "$NS" type veth peer name bs netns "$NB"
    ip -n "$NB" link set bc master br0 mtu "$mtu" gso_max_segs 1 up
    ip -n "$NB" link set bs master br0 mtu "$mtu" gso_max_segs 1 up
    ip -n "$NB" link set br0 up
  else
    ip link add c0 netns "$NC" type veth peer name s0 netns "$NS"
  fi
  ip -n "$NC" link set c0 address $CMAC mtu "$mtu" gso_max_segs 1
  ip -n "$NS" link set s0 address $SMAC mtu "$mtu" gso_max_segs 1
  ip -n "$NC" addr add $C4/24 dev c0; ip -n "$NS" addr add $S4/24 dev s0
  ip -n "$NC" neigh add $S4 lladdr $SMAC dev c0 nud permanent
  ip -n "$NS" neigh add $C4 lladdr $CMAC dev s0 nud permanent
  if ((v6)); then
    ip -n "$NC" -6 addr add $C6/64 dev c0 nodad; ip -n "$NS" -6 addr add $S6/64 dev s0 nodad
  fi
  ip -n "$NC" link set c0 up; ip -n "$NS" link set s0 up
  sleep 1 # link-local address, MLD reports: over before the capture starts
}

netns_down() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
  ip netns del "$NC" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  rm -f "$WORK"/*.ready
  sleep 0.2
}

CAP_PID=
start_capture() { # FILE BPF
  : >"$WORK/tcpdump.log"
  ip netns exec "$NC" tcpdump -Z root -n -s 0 -U --immediate-mode -i c0 -w "$1" "$2" 2>"$WORK/tcpdump.log" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  local i; for i in $(seq 1 100); do grep -q 'listening on' "$WORK/tcpdump.log" && break; sleep 0.1; done
  sleep 0.3
}
stop_capture() {
  sleep "${1:-1}"
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  grep -E 'captured' "$WORK/tcpdump.log" >&2 || true
}

in_s() { ip netns exec "$NS" "$@"; }
in_c() { ip netns exec "$NC" timeout 30 "$@"; }
bg_s() { # READY-FILE CMD… : a server in S, started and waited for (READY-FILE "" = wait for a listening port $PORT)
  local ready=$1; shift
  ip netns exec "$NS" "$@" >"$WORK/srv.log" 2>&1 &
  PIDS+=($!)
  if [[ -n $ready ]]; then wait_file "$ready"; else
    local i; for i in $(seq 1 100); do in_s ss -Hltn "sport = :$PORT" | grep -q . && return 0; sleep 0.1; done
    die "server on port $PORT did not start: $(cat "$WORK/srv.log")"
  fi
}

# expect FILE 'tshark -T fields -e … output' : the capture's shape must be exactly this
expect() {
  local f=$1 want=$2 got; shift 2
  got=$(tshark -r "$f" -T fields "$@" 2>/dev/null)
  [[ $got == "$want" ]] || die "$(basename "$f") came out different:
--- wanted
$want
--- got
$got"
}
count() { capinfos -Tcr "$1" | cut -f2; }

want() { [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]; }

# ------------------------------------------------------------------------------------------ samples
if want tcp-refused; then
F=$OUT/tcp-refused.pcap
log "tcp-refused: curl to port 80 where nothing listens"
netns_up 1500 0
start_capture "$F" tcp
in_c curl -s --max-time 3 -o /dev/null http://$S4/ || true   # exits 7: connection refused
stop_capture; netns_down
expect "$F" $'0x0002\n0x0014' -e tcp.flags   # SYN, then RST,ACK
fi

if want udp-datagrams; then
F=$OUT/udp-datagrams.pcap
log "udp-datagrams: three datagrams to a UDP echo server, then one to a closed port"
netns_up 1500 0
bg_s "$WORK/echo.ready" $TOOL udp-echo $S4 7777 "$WORK/echo.ready"
start_capture "$F" 'udp or icmp'
in_c $TOOL udp-client $S4 7777 7778 >&2
stop_capture; netns_down
expect "$F" $'17\n17\n17\n17\n17\n17\n17\n1,17' -e ip.proto   # the ICMP error quotes the UDP datagram's IP header
fi

if want icmp-fragments; then
F=$OUT/icmp-fragments.pcap
log "icmp-fragments: ping -s 1400 over a veth with MTU 500 (each echo in three IPv4 fragments)"
netns_up 500 0
start_capture "$F" icmp
in_c ping -n -c 2 -i 0.5 -W 2 -s 1400 -M dont $S4 >&2
stop_capture 0.5; netns_down
expect "$F" "$(printf '1\t0\n1\t60\n0\t120\n%.0s' 1 2 3 4)" -e ip.flags.mf -e ip.frag_offset
fi

if want tcp-loss; then
F=$OUT/tcp-loss.pcap
log "tcp-loss: a 200 kB HTTP download; nft in the bridge between them drops the server's 20th and 60th full segments"
# dropped on the way (as a router would), so the sending TCP believes them sent; a drop in the server's own
# output hook would only make its TCP send them again at once
netns_up 1500 0 1
mkdir -p "$WORK/www"
python3 -c "import sys; sys.stdout.write(''.join('Wirelens sample download, line %05d: the quick brown fox jumps over the lazy dog.\n' % i for i in range(2400))[:200000])" >"$WORK/www/download.txt"
ip netns exec "$NB" nft -f - <<'EOF'
table bridge loss {
  chain forward { type filter hook forward priority 0; policy accept;
    ip saddr 10.80.0.2 tcp sport 80 meta length > 1000 numgen inc mod 1000 vmap { 19 : drop, 59 : drop }
  }
}
EOF
PORT=80 bg_s "" python3 -m http.server 80 --bind $S4 --directory "$WORK/www"
start_capture "$F" tcp
in_c curl -s -o /dev/null http://$S4/download.txt
stop_capture; netns_down
# the shape varies with timing (delayed ACKs, SACK); the losses and their repair must be there
n=$(count "$F")
((n > 150 && n < 400)) || die "tcp-loss: $n packets"
# a resend within a few ms of the gap is labelled Out-Of-Order by tshark, a later one (Fast) Retransmission
for flag in lost_segment duplicate_ack 'retransmission || tcp.analysis.out_of_order'; do
  [[ -n $(tshark -r "$F" -Y "tcp.analysis.$flag" -T fields -e frame.number 2>/dev/null) ]] || die "tcp-loss: no tcp.analysis.$flag"
done
fi

if want dns; then
F=$OUT/dns.pcap
log "dns: dig asks a tiny authoritative server for A, AAAA, a name without AAAA and a name that does not exist"
netns_up 1500 0
bg_s "$WORK/dns.ready" $TOOL dns-serve $S4 "$WORK/dns.ready"
start_capture "$F" 'udp port 53'
for q in 'www.wirelens.test A' 'www.wirelens.test AAAA' 'mail.wirelens.test AAAA' 'nosuch.wirelens.test A'; do
  # shellcheck disable=SC2086
  in_c dig +nocookie +tries=1 +time=2 -b "$C4#40053" @$S4 $q >"$WORK/dig.txt" || die "dig $q: $(cat "$WORK/dig.txt")"
  sleep 0.2
done
stop_capture 0.5; netns_down
expect "$F" "$(printf '0\t\n1\t0\n0\t\n1\t0\n0\t\n1\t0\n0\t\n1\t3\n')" -e dns.flags.response -e dns.flags.rcode   # queries have no rcode
fi

if want tls-clienthello; then
F=$OUT/tls-clienthello.pcap
log "tls-clienthello: openssl s_client (SNI www.wirelens.test, ALPN http/1.1) to openssl s_server on port 443"
netns_up 1500 0
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=www.wirelens.test \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
PORT=443 bg_s "" openssl s_server -quiet -accept 443 -cert "$WORK/cert.pem" -key "$WORK/key.pem" -alpn http/1.1 -naccept 1
start_capture "$F" tcp
# stdin stays open a moment so the server's session tickets arrive before the client closes
{ sleep 0.5; } | in_c openssl s_client -connect $S4:443 -servername www.wirelens.test -alpn http/1.1 >"$WORK/s_client.txt" 2>&1 || true
stop_capture; netns_down
grep -q 'ALPN protocol: http/1.1' "$WORK/s_client.txt" || die "tls: no handshake: $(cat "$WORK/s_client.txt")"
expect "$F" 'www.wirelens.test' -Y tls.handshake.type==1 -e tls.handshake.extensions_server_name
fi

if want ipv6-http; then
F=$OUT/ipv6-http.pcap
log "ipv6-http: curl -6 fetches a page from python http.server on [fd80::2]:80, Neighbor Discovery first"
netns_up 1500 1
mkdir -p "$WORK/www6"
printf '<!doctype html>\n<title>Hello over IPv6</title>\n<p>This page came over IPv6.</p>\n' >"$WORK/www6/index.html"
PORT=80 bg_s "" python3 -m http.server 80 --bind $S6 --directory "$WORK/www6"
start_capture "$F" "ip6 and ip6[6] != 0"   # not the MLD reports (hop-by-hop header) the new addresses send
in_c curl -s -6 -o /dev/null "http://[$S6]/"
stop_capture; netns_down
expect "$F" $'135\n136' -Y icmpv6 -e icmpv6.type
[[ $(tshark -r "$F" -Y 'http.request.method == "GET"' -T fields -e frame.number) ]] || die "ipv6-http: no GET"
fi

# ------------------------------------------------------------------------------------------ README
# One section per sample: what it shows, the command that made it, packets, size, sha256 (of the file as written).
describe() { # NAME → the text of its section
  case $1 in
    http-get) cat <<'EOF'
`curl` fetching `http://127.0.0.1:11699/` from `python3 -m http.server`, captured on loopback: the TCP
three-way handshake, one HTTP `GET /`, the `200 OK` response and the FIN close from both sides. The capture
Wirelens opens on start; a byte-for-byte copy of `captures/generated/01_http_get_loopback.pcap` from the
project's shared corpus (`generate.sh`, `tcpdump -i lo "tcp port 11699"`), not made by this script.
EOF
    ;;
    tcp-refused) cat <<'EOF'
`curl http://10.80.0.2/` where nothing listens on port 80: the client's SYN (#1) and the server kernel's
RST,ACK (#2). Exactly two packets.
EOF
    ;;
    udp-datagrams) cat <<'EOF'
A Python client (port 40000) sends three datagrams to a UDP echo server on port 7777, which answers each in
capitals, then one datagram to port 7778 where nothing listens: the answer is ICMP destination unreachable
(port unreachable, #8) quoting the datagram. No handshake, no acknowledgements.
EOF
    ;;
    icmp-fragments) cat <<'EOF'
`ping -c 2 -s 1400 -M dont 10.80.0.2` over a veth with MTU 500: each 1428-byte echo request and reply is sent
as three IPv4 fragments (offsets 0, 480, 960; More Fragments set on the first two), reassembled into the ICMP
message on the last fragment (#3, #6, #9, #12).
EOF
    ;;
    tcp-loss) cat <<'EOF'
`curl` downloads 200 kB from `python3 -m http.server` through a bridge (a third namespace) where an nft
rule drops the server's 20th and 60th full-sized segments (so the capture, on the client, never sees them):
previous segment not captured, the client's duplicate ACKs with SACK blocks, the server sending the segments again
(tshark calls a resend this quick, within milliseconds of the gap, Out-Of-Order; a later one Retransmission),
and the ACK that covers the gap. Filter `tcp.analysis.flags` to see them.
EOF
    ;;
    dns) cat <<'EOF'
`dig @10.80.0.2` (from port 40053) asks a tiny authoritative DNS server (Python, in the script) four questions:
`www.wirelens.test` A (answer 10.80.0.2), AAAA (answer fd80::2), `mail.wirelens.test` AAAA (no such record:
NOERROR with the zone's SOA) and `nosuch.wirelens.test` A (NXDOMAIN). Queries carry EDNS0; each response names
its query (`dns.response_to`).
EOF
    ;;
    tls-clienthello) cat <<'EOF'
`openssl s_client -connect 10.80.0.2:443 -servername www.wirelens.test -alpn http/1.1` to `openssl s_server`
with a fresh self-signed P-256 certificate: the TCP handshake, the ClientHello (SNI `www.wirelens.test`, ALPN,
supported versions, key share), the ServerHello, the rest of the TLS 1.3 handshake (encrypted from there on),
session tickets, close_notify and the TCP close. Debian's OpenSSL 3.
EOF
    ;;
    ipv6-http) cat <<'EOF'
`curl -6 http://[fd80::2]/` from `python3 -m http.server` on an IPv6-only page: Neighbor Solicitation and
Advertisement (ICMPv6 Neighbor Discovery instead of ARP), the TCP handshake over IPv6, the GET, the response
and the FIN close.
EOF
    ;;
    *) die "no description for $1" ;;
  esac
}
ORDER=(http-get tcp-refused udp-datagrams icmp-fragments tcp-loss dns tls-clienthello ipv6-http)
{
  cat <<EOF
# Sample captures

The captures of the **Samples** menu. \`http-get.pcap\` opens on start; the others were made by
\`scripts/make-samples.sh\` from real traffic between two network namespaces it creates (client 10.80.0.1 /
fd80::1, server 10.80.0.2 / fd80::2, a veth pair, captured with tcpdump on the client's interface). No external
host is involved. They are the project's own work, under its MIT licence. This file is written by that script.

Made with $(uname -sr), $(tcpdump --version 2>&1 | head -1), $(curl --version | head -1 | cut -d' ' -f1-2),
$(openssl version | cut -d' ' -f1-2), DiG $(dig -v 2>&1 | cut -d' ' -f2); checked with $(tshark --version | head -1 | sed "s/\.$//").
EOF
  for n in "${ORDER[@]}"; do
    f=$OUT/$n.pcap
    [[ -f $f ]] || continue
    printf '\n## %s\n\n' "$n.pcap"
    describe "$n"
    printf '\n- **Packets:** %s; **size:** %s bytes; pcap, Ethernet, microsecond timestamps\n' "$(count "$f")" "$(stat -c %s "$f")"
    printf -- '- **SHA-256:** `%s`\n' "$(sha256sum "$f" | cut -c1-64)"
  done
} >"$OUT/README.md"
log "done: $(ls "$OUT"/*.pcap | wc -l) captures and README.md in $OUT"
