# netns-common.sh — sourced by the capture generators (make-samples.sh, make-lossy-captures.sh): logging and the
# clean-up that stops their background programs and deletes the namespaces they made, whatever way they exit.
# The sourcing script sets NETNS (its namespace names), PIDS (background programs) and WORK (a scratch folder).

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

cleanup() {
  local rc=$? p ns
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in "${NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
