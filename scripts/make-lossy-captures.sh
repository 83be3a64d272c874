#!/usr/bin/env bash
# make-lossy-captures.sh — real TCP traffic with loss, reordering, zero windows, keep-alives, resets and port
# reuse, captured in network namespaces this script creates (and deletes again). The captures feed the TCP
# analysis conformance tests (tcp.analysis.* must agree with tshark on them).
#
# Usage (as root):  scripts/make-lossy-captures.sh [OUTPUT_DIR]     (default: test/fixtures/captures)
# Needs: ip (iproute2), nft (nftables), tcpdump, python3, editcap, capinfos. Kernel netem is not required:
# reordering and duplication are done by a small user-space relay between two TAP devices.
#
# Topology: two namespaces, client C (10.77.0.1 / fd77::1) and server S (10.77.0.2 / fd77::2), joined by a
# veth pair with MTU 1500 and gso_max_segs 1 (so every captured TCP segment is wire-sized), or by two TAP
# devices bridged by the relay. nft rules drop chosen packets; where they act relative to the capture point
# decides what the capture shows:
#   - a drop in S's output hook happens before any capture (the capture shows a gap: "previous segment
#     not captured", then duplicate ACKs and the retransmission);
#   - a drop in C's input hook happens after tcpdump on C's interface saw the packet (the capture shows
#     the segment, the receiver's duplicate ACKs, then a retransmission of data it already showed).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/test/fixtures/captures}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[[ $(id -u) == 0 ]] || { echo "error: must run as root (ip netns, nft, tcpdump)" >&2; exit 1; }
for t in ip nft tcpdump python3 editcap capinfos; do
  command -v "$t" >/dev/null || { echo "error: $t is missing (apt-get install iproute2 nftables tcpdump python3 tshark)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/lossy.XXXXXX)
NC=wl-lossy-c-$$
NS=wl-lossy-s-$$
NR=wl-lossy-r-$$
PIDS=()
C4=10.77.0.1 S4=10.77.0.2 C6=fd77::1 S6=fd77::2
PORT=8080

NETNS=("$NC" "$NS" "$NR")
# shellcheck source=netns-common.sh
source "$(dirname "$0")/netns-common.sh"

# ------------------------------------------------------------------------------------------ helper programs
cat >"$WORK/tool.py" <<'PY'
"""Client, server and relay programs for make-lossy-captures.sh (one tiny HTTP-like exchange per connection)."""
import argparse, ctypes, fcntl, os, select, socket, struct, sys, time

def body(n):
    line = b"Wirelens lossy-capture test payload, line %06d ..............................\n"
    out = bytearray()
    i = 0
    while len(out) < n:
        out += line % i
        i += 1
    return bytes(out[:n])

def serve(a):
    fam = socket.AF_INET6 if ':' in a.addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.sndbuf:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.sndbuf)
    ls.bind((a.addr, a.port))
    ls.listen(8)
    open(a.ready, 'w').close()
    modes = a.modes.split(',')
    for i in range(a.count):
        s, _ = ls.accept()
        try:
            one(a, s, modes[i % len(modes)])
        except OSError as e:
            print('connection %d: %s' % (i, e), file=sys.stderr)
            s.close()

def one(a, s, mode):
    if a.keepalive:
        set_keepalive(s, a.keepalive)
    if mode == 'linger0':          # RST right after the handshake
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        s.close(); return
    if mode == 'noread':           # close with the request unread: the kernel answers with RST
        time.sleep(0.1); s.close(); return
    req = b''
    while b'\r\n\r\n' not in req:
        d = s.recv(4096)
        if not d: break
        req += d
    size = a.size
    for part in req.split(b'\r\n'):
        if part.startswith(b'GET /'):
            try: size = int(part.split()[1][1:] or size)
            except ValueError: pass
    data = body(size)
    s.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n' % len(data) + data)
    if mode == 'rstafter':         # abortive close after the response
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    elif mode == 'idle':
        time.sleep(a.idle)
    s.close()

def set_keepalive(s, spec):
    idle, intvl, cnt = (int(x) for x in spec.split(','))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)

def fetch(a):
    fam = socket.AF_INET6 if ':' in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.bind_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('', a.bind_port))
    if a.keepalive:
        set_keepalive(s, a.keepalive)
    try:
        s.connect((a.addr, a.port))
    except ConnectionRefusedError:
        print('refused', file=sys.stderr); return
    if a.idle_before:
        time.sleep(a.idle_before)
    s.sendall(b'GET /%d HTTP/1.1\r\nHost: %s\r\nUser-Agent: wirelens-lossy\r\n\r\n' % (a.size, a.addr.encode()))
    if a.stall:
        time.sleep(a.stall)
    got = 0
    try:
        while True:
            d = s.recv(a.chunk)
            if not d: break
            got += len(d)
            if a.abort_after and got >= a.abort_after:
                break
            if a.delay:
                time.sleep(a.delay)
    except ConnectionResetError:
        print('reset after %d bytes' % got, file=sys.stderr)
    if a.idle_after:
        time.sleep(a.idle_after)
    if a.linger0:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    if a.send_after_close:  # peer closed: writing more makes the peer answer with RST
        try:
            s.send(b'late data'); time.sleep(0.2); s.send(b'more')
        except OSError:
            pass
    s.close()
    print('got %d bytes' % got, file=sys.stderr)

# --- relay: two TAP devices in two namespaces, frames copied between them; S->C TCP data may be held back
# (reordered) or sent twice (duplicated).
CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000

def tap_in(ns, name):
    libc = ctypes.CDLL(None, use_errno=True)
    with open('/var/run/netns/' + ns) as f:
        if libc.setns(f.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns')
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TAP | IFF_NO_PI))
    return fd

def tcp_data(frame, sport):
    if len(frame) < 54 or frame[12:14] != b'\x08\x00': return False
    ihl = (frame[14] & 15) * 4
    if frame[23] != 6: return False
    t = 14 + ihl
    if struct.unpack('!H', frame[t:t + 2])[0] != sport: return False
    tlen = struct.unpack('!H', frame[16:18])[0]
    return tlen - ihl - (frame[t + 12] >> 4) * 4 > 0

def relay(a):
    cfd = tap_in(a.cns, 'c0')
    sfd = tap_in(a.sns, 's0')
    open(a.ready, 'w').close()
    n = 0
    held = None
    while True:
        r, _, _ = select.select([cfd, sfd], [], [], 0.05 if held else None)
        if not r and held:           # nothing followed: let the held frame go
            os.write(cfd, held); held = None
        for fd in r:
            frame = os.read(fd, 65536)
            if fd == cfd:
                os.write(sfd, frame); continue
            if not tcp_data(frame, a.port):
                os.write(cfd, frame); continue
            n += 1
            if held is None and a.reorder and n % a.reorder == 0:
                held = frame; continue
            os.write(cfd, frame)
            if a.dup and n % a.dup == 0:
                os.write(cfd, frame)
            if held is not None:
                os.write(cfd, held); held = None

p = argparse.ArgumentParser()
sub = p.add_subparsers(dest='cmd', required=True)
q = sub.add_parser('serve'); q.add_argument('addr'); q.add_argument('port', type=int); q.add_argument('ready')
q.add_argument('--size', type=int, default=1000); q.add_argument('--count', type=int, default=1)
q.add_argument('--modes', default='normal'); q.add_argument('--sndbuf', type=int, default=0)
q.add_argument('--keepalive', default=''); q.add_argument('--idle', type=float, default=0)
q = sub.add_parser('fetch'); q.add_argument('addr'); q.add_argument('port', type=int)
q.add_argument('--size', type=int, default=1000); q.add_argument('--rcvbuf', type=int, default=0)
q.add_argument('--stall', type=float, default=0); q.add_argument('--chunk', type=int, default=65536)
q.add_argument('--delay', type=float, default=0); q.add_argument('--abort-after', type=int, default=0)
q.add_argument('--bind-port', type=int, default=0); q.add_argument('--keepalive', default='')
q.add_argument('--idle-before', type=float, default=0); q.add_argument('--idle-after', type=float, default=0)
q.add_argument('--linger0', action='store_true'); q.add_argument('--send-after-close', action='store_true')
q = sub.add_parser('relay'); q.add_argument('cns'); q.add_argument('sns'); q.add_argument('ready')
q.add_argument('--port', type=int, default=8080); q.add_argument('--reorder', type=int, default=0)
q.add_argument('--dup', type=int, default=0)
a = p.parse_args()
{'serve': serve, 'fetch': fetch, 'relay': relay}[a.cmd](a)
PY

TOOL="python3 $WORK/tool.py"

# ------------------------------------------------------------------------------------------ topology
wait_file() { local i; for i in $(seq 1 100); do [[ -e $1 ]] && return 0; sleep 0.1; done; echo "error: $1 did not appear" >&2; exit 1; }

# netns_pair veth|tap|routed SACK(0/1) TIMESTAMPS(0/1) — sets SRV4/SRV6, the server's addresses.
#   veth:   C —veth— S
#   tap:    C —TAP— relay —TAP— S   (relay args in RELAY_ARGS)
#   routed: C —veth— R —veth— S     (R forwards; nft rules in R drop packets on the path)
netns_pair() {
  local kind=$1 sack=$2 ts=$3 ns
  local all=("$NC" "$NS")
  [[ $kind == routed ]] && all+=("$NR")
  for ns in "${all[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_sack="$sack" net.ipv4.tcp_timestamps="$ts" \
      net.ipv4.tcp_dsack="$sack" net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0 \
      net.ipv4.tcp_no_metrics_save=1 net.ipv4.tcp_ecn=0
  done
  SRV4=$S4 SRV6=$S6
  case $kind in
    veth) ip link add c0 netns "$NC" type veth peer name s0 netns "$NS" ;;
    tap)
      $TOOL relay "$NC" "$NS" "$WORK/relay.ready" $RELAY_ARGS 2>"$WORK/relay.log" &
      PIDS+=($!)
      wait_file "$WORK/relay.ready" ;;
    routed)
      SRV4=10.77.1.2 SRV6=fd77:1::2
      ip link add c0 netns "$NC" type veth peer name rc netns "$NR"
      ip link add rs netns "$NR" type veth peer name s0 netns "$NS"
      ip netns exec "$NR" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
      ip -n "$NR" addr add 10.77.0.254/24 dev rc; ip -n "$NR" addr add 10.77.1.254/24 dev rs
      ip -n "$NR" -6 addr add fd77::fe/64 dev rc nodad; ip -n "$NR" -6 addr add fd77:1::fe/64 dev rs nodad
      ip -n "$NR" link set rc gso_max_segs 1 up; ip -n "$NR" link set rs gso_max_segs 1 up ;;
  esac
  ip -n "$NC" link set c0 address 02:00:0a:4d:00:01
  ip -n "$NS" link set s0 address 02:00:0a:4d:00:02
  [[ $kind == tap ]] || { ip -n "$NC" link set c0 gso_max_segs 1; ip -n "$NS" link set s0 gso_max_segs 1; }
  ip -n "$NC" addr add $C4/24 dev c0; ip -n "$NS" addr add $SRV4/24 dev s0
  ip -n "$NC" -6 addr add $C6/64 dev c0 nodad; ip -n "$NS" -6 addr add $SRV6/64 dev s0 nodad
  ip -n "$NC" link set c0 up; ip -n "$NS" link set s0 up
  if [[ $kind == routed ]]; then
    ip -n "$NC" route add default via 10.77.0.254; ip -n "$NS" route add default via 10.77.1.254
    ip -n "$NC" -6 route add default via fd77::fe; ip -n "$NS" -6 route add default via fd77:1::fe
  fi
  sleep 0.5
}

netns_down() {
  local p ns
  for ns in "$NC" "$NS" "$NR"; do  # what the nft rules did
    ip netns exec "$ns" nft list table inet lossy 2>/dev/null | grep -o 'counter packets [0-9]*' | sed "s/^/  nft in ${ns%%-[0-9]*}: /" >&2 || true
  done
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
  ip netns del "$NC" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip netns del "$NR" 2>/dev/null || true
  rm -f "$WORK"/*.ready
  sleep 0.2
}

# nft_rules NS 'RULES…' : one inet table "lossy" with input and output chains, then the given rules
nft_rules() {
  local ns=$1; shift
  ip netns exec "$ns" nft -f - <<EOF
table inet lossy {
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
  chain forward { type filter hook forward priority 0; policy accept; }
}
EOF
  local r
  for r in "$@"; do ip netns exec "$ns" nft "add rule inet lossy $r"; done
}

CAP_PID=
start_capture() { # NS IFACE FILE
  : >"$WORK/tcpdump.log"
  ip netns exec "$1" tcpdump -Z root -n -s 0 -U -i "$2" -w "$3" tcp 2>"$WORK/tcpdump.log" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  local i; for i in $(seq 1 100); do grep -q 'listening on' "$WORK/tcpdump.log" && break; sleep 0.1; done
  sleep 0.3
}
stop_capture() {
  sleep 1.5
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  grep -E 'captured|dropped by kernel' "$WORK/tcpdump.log" | tr '\n' ' ' >&2; echo >&2
}

server() { # ARGS… : start the server in S and wait until it listens
  rm -f "$WORK/srv.ready"
  ip netns exec "$NS" $TOOL serve "$@" "$WORK/srv.ready" 2>"$WORK/srv.log" &
  PIDS+=($!)
  wait_file "$WORK/srv.ready"
}
client() { ip netns exec "$NC" timeout 60 $TOOL fetch "$@"; }

# ------------------------------------------------------------------------------------------ scenarios
# ONLY="20_tcp_loss_sack_netns 24_tcp_keepalive_netns" makes just those captures
want() { [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]; }

if want 20_tcp_loss_sack_netns; then
F=$OUT/20_tcp_loss_sack_netns.pcap
log "$(basename "$F"): a router drops every 23rd data segment and every 17th ACK before the capture point, SACK on"
netns_pair routed 1 1
nft_rules "$NR" "forward tcp sport $PORT ip length > 100 numgen inc mod 23 == 11 counter drop" \
  "forward tcp dport $PORT ip length < 100 numgen inc mod 17 == 5 counter drop"
server $SRV4 $PORT --size 120000
start_capture "$NC" c0 "$F"
client $SRV4 $PORT --size 120000
stop_capture; netns_down
fi

if want 20_tcp_loss_nosack_netns; then
F=$OUT/20_tcp_loss_nosack_netns.pcap
log "$(basename "$F"): SYN/ACK lost once, every 19th server segment dropped after the capture point, SACK and timestamps off"
netns_pair veth 0 0
nft_rules "$NC" \
  "input tcp sport $PORT tcp flags & (syn|ack) == syn|ack numgen inc mod 1000 == 0 counter drop" \
  "input tcp sport $PORT ip length > 100 numgen inc mod 19 == 9 counter drop"
server $S4 $PORT --size 100000
start_capture "$NC" c0 "$F"
client $S4 $PORT --size 100000
stop_capture; netns_down
fi

if want 21_tcp_reorder_dup_relay; then
F=$OUT/21_tcp_reorder_dup_relay.pcap
log "$(basename "$F"): relay holds back every 13th data segment behind the next one and sends every 29th twice"
RELAY_ARGS="--port $PORT --reorder 13 --dup 29"
netns_pair tap 1 1
server $S4 $PORT --size 90000
start_capture "$NC" c0 "$F"
client $S4 $PORT --size 90000
stop_capture; netns_down
fi

if want 22_tcp_acked_unseen_netns; then
F=$OUT/22_tcp_acked_unseen_netns.pcap
log "$(basename "$F"): clean transfer over IPv6 whose capture missed the 4th and 11th server data segments (removed with editcap)"
netns_pair veth 1 1
server $S6 $PORT --size 30000
start_capture "$NC" c0 "$WORK/full.pcap"
client $S6 $PORT --size 30000
stop_capture; netns_down
# the receiver got these segments (and ACKs them), only the capture lacks them
mapfile -t GONE < <(tshark -r "$WORK/full.pcap" -Y "tcp.srcport == $PORT && tcp.len > 0" -T fields -e frame.number | sed -n '4p;11p')
editcap "$WORK/full.pcap" "$F" "${GONE[@]}"
fi

if want 23_tcp_zero_window_netns; then
F=$OUT/23_tcp_zero_window_netns.pcap
log "$(basename "$F"): receiver with a 2 KB buffer stalls 1.2 s, then reads slowly: window full, zero window, probes, updates"
netns_pair veth 1 1
server $S4 $PORT --size 40000
start_capture "$NC" c0 "$F"
client $S4 $PORT --size 40000 --rcvbuf 2048 --stall 1.2 --chunk 4096 --delay 0.05
stop_capture; netns_down
fi

if want 24_tcp_keepalive_netns; then
F=$OUT/24_tcp_keepalive_netns.pcap
log "$(basename "$F"): both ends idle with TCP keep-alives every second, before the request and before the close"
netns_pair veth 1 1
server $S4 $PORT --size 500 --count 1 --modes idle --idle 3.6 --keepalive 1,1,5
start_capture "$NC" c0 "$F"
client $S4 $PORT --size 500 --keepalive 1,1,5 --idle-before 2.2
stop_capture; netns_down
fi

if want 25_tcp_rst_states_netns; then
F=$OUT/25_tcp_rst_states_netns.pcap
log "$(basename "$F"): RST to a SYN, after the handshake, with unread data, mid-transfer, after FIN, and from nft reject"
netns_pair veth 1 1
nft_rules "$NS" "input tcp dport $((PORT + 1)) ip length > 90 counter reject with tcp reset"
ip netns exec "$NS" $TOOL serve $S4 $((PORT + 1)) "$WORK/srv1.ready" --size 3000 2>/dev/null &
PIDS+=($!); wait_file "$WORK/srv1.ready"
server $S4 $PORT --size 200000 --count 5 --modes linger0,noread,normal,normal,rstafter --sndbuf 16384
start_capture "$NC" c0 "$F"
client $S4 $((PORT + 2)) || true                                  # closed port: RST/ACK to the SYN
client $S4 $PORT || true                                          # server closes with SO_LINGER 0 at once
client $S4 $PORT || true                                          # server closes without reading the request
client $S4 $PORT --size 200000 --rcvbuf 8192 --chunk 4096 --abort-after 30000 || true  # client aborts, data unread
client $S4 $PORT --size 2000 --send-after-close || true           # writes after the peer's FIN
client $S4 $PORT --size 2000 || true                              # server resets after its response
client $S4 $((PORT + 1)) --size 3000 || true                      # firewall resets the request
stop_capture; netns_down
fi

if want 26_tcp_port_reuse_netns; then
F=$OUT/26_tcp_port_reuse_netns.pcap
log "$(basename "$F"): the same client port reconnects three times (new ISN each time), reset or closed in between"
netns_pair veth 1 1
server $S4 $PORT --size 1200 --count 3
start_capture "$NC" c0 "$F"
client $S4 $PORT --size 1200 --bind-port 40404 --linger0
sleep 0.3
client $S4 $PORT --size 1200 --bind-port 40404 --linger0
sleep 0.3
client $S4 $PORT --size 1200 --bind-port 40404 --linger0
stop_capture; netns_down
fi

# ------------------------------------------------------------------------------------------ manifest
# Size, packet count, sha256 and tshark's expert messages of each capture, appended to MANIFEST.txt (replacing
# the section an earlier run wrote). ONLY=none rewrites just this section.
{
  echo "== make-lossy-captures.sh (kernel $(uname -r); $(tcpdump --version 2>&1 | head -1); $(tshark --version | head -1))"
  for f in "$OUT"/2[0-6]_tcp_*.pcap; do
    printf '%s\t%s bytes\t%s packets\tsha256 %s\n' "$(basename "$f")" "$(stat -c %s "$f")" \
      "$(capinfos -Tcr "$f" | cut -f2)" "$(sha256sum "$f" | cut -c1-64)"
    tshark -r "$f" -Y tcp.analysis.flags -T fields -e _ws.expert.message 2>/dev/null |
      tr ',' '\n' | sed 's/^ *//; /^$/d' | sort | uniq -c | sort -rn | sed 's/^/    /'
  done
} >"$WORK/manifest.txt"
cat "$WORK/manifest.txt"
M=$OUT/MANIFEST.txt
if [[ -f $M ]]; then
  sed -i '/^== make-lossy-captures.sh/,$d' "$M"
  [[ -z $(tail -c1 "$M") ]] || echo >>"$M"
fi
cat "$WORK/manifest.txt" >>"$M"
log "done: $(ls "$OUT"/2[0-6]_tcp_*.pcap | wc -l) captures in $OUT"
