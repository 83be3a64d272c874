#!/usr/bin/env bash
# Makes large benchmark captures from real loopback traffic inside a private network namespace:
# HTTP downloads (python3 http.server on 127.0.0.1:11699, curl) plus UDP datagrams, with GSO limited so
# segments are wire-sized. Usage: make-bench-captures.sh OUTDIR PACKETS [PACKETS…]  (needs root)
set -euo pipefail
out=${1:?usage: $0 OUTDIR PACKETS...}; shift
mkdir -p "$out"
for cmd in tcpdump curl python3 ip; do command -v $cmd >/dev/null || { echo "missing $cmd" >&2; exit 1; }; done
ns="wlbench-$$"
work=$(mktemp -d)
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link set lo gso_max_segs 1 2>/dev/null || true
ip -n "$ns" link set lo mtu 1500
head -c 200000 /dev/urandom | base64 > "$work/file.txt"
for n in "$@"; do
  f="$out/bench-${n}.pcap"
  [ -s "$f" ] && { echo "$f exists"; continue; }
  ip netns exec "$ns" sh -c "cd '$work' && exec python3 -m http.server 11699 --bind 127.0.0.1" >/dev/null 2>&1 &
  srv=$!
  sleep 1
  ip netns exec "$ns" timeout 3600 tcpdump -i lo -s 262144 -U -c "$n" -w "$f" 'tcp port 11699 or udp port 11700' 2>/dev/null &
  dump=$!
  sleep 1
  # traffic until tcpdump has its packets
  ip netns exec "$ns" sh -c "while kill -0 $dump 2>/dev/null; do
      curl -s -o /dev/null http://127.0.0.1:11699/file.txt || true
      echo hello | timeout 0.2 python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.sendto(b\"dns-like query\",(\"127.0.0.1\",11700))' || true
    done" &
  gen=$!
  wait $dump || true
  kill $gen $srv 2>/dev/null || true
  wait 2>/dev/null || true
  echo "$f: $(stat -c %s "$f") bytes"
done
