#!/usr/bin/env bash
# Runs examples/two-hosts on one Linux machine: two network namespaces ("hosts" A and B) joined by a veth pair,
# each with Aeron's C media driver and its services, the fake Binance on A's loopback. Checks that pricing (14)
# crosses to B over UDP and that the strategy on B quotes (15) and gets fills (16) from the simulator on B, which
# reads A's books (10) and trades (13) over UDP.
#
#   pnpm build
#   sudo AERON_MD=/path/to/aeronmd bash examples/two-hosts/verify-netns.sh
#
# Needs root (ip netns), iproute2, and Aeron's C aeronmd 1.47 (not part of this repo; build it from Aeron's
# sources). Traffic stays inside the two namespaces: addresses in 10.213.16.0/24 on the veth pair, the fake Binance on
# A's loopback. Names resolve through /etc/netns/<ns>/hosts (ip netns exec mounts it over /etc/hosts).
# LAYOUT=strategy-on-b (default: collector + pricing on A, strategy + simulator on B; host-a/, host-b/) or
# LAYOUT=venue-on-b (collector + pricing + strategy on A, simulator on B; venue-on-b/).
# B_MONOTONIC_OFFSET_S=<seconds> runs B's processes in a time namespace whose CLOCK_MONOTONIC is that far ahead,
# like a second machine that booted earlier (see "Clocks" in README.md).
# Everything it started is stopped and removed on exit; logs stay in $WORK (printed) for reading.
set -euo pipefail

: "${AERON_MD:?set AERON_MD to the path of the Aeron C media driver binary aeronmd (1.47)}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/examples/two-hosts"
SUFFIX=$$
NS_A="mm2hA$SUFFIX" NS_B="mm2hB$SUFFIX"
IF_A="mm2ha$SUFFIX" IF_B="mm2hb$SUFFIX"
IP_A=10.213.16.1 IP_B=10.213.16.2
FAKE_PORT=18080
LAYOUT=${LAYOUT:-strategy-on-b}
case $LAYOUT in
  strategy-on-b) CONF_A="$HERE/host-a/config" CONF_B="$HERE/host-b/config" SPY_ENV="$HERE/host-a/pricing.env" STRATEGY_HOST=b ;;
  venue-on-b) CONF_A="$HERE/venue-on-b/config" CONF_B="$HERE/venue-on-b/config" SPY_ENV="$HERE/venue-on-b/pricing.env" STRATEGY_HOST=a ;;
  *) echo "LAYOUT must be strategy-on-b or venue-on-b" >&2; exit 2 ;;
esac
TIMEOUT_S=${TIMEOUT_S:-120}
WORK=$(mktemp -d /tmp/mm-two-hosts.XXXXXX)
B_WRAP=()
if [[ -n "${B_MONOTONIC_OFFSET_S:-}" ]]; then B_WRAP=(unshare --time --monotonic "$B_MONOTONIC_OFFSET_S"); fi
pids=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

cleanup() {
  local rc=$?
  # Clients first, drivers last (the order of pids is start order).
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "/etc/netns/$NS_A" "/etc/netns/$NS_B" "/dev/shm/mm-two-hosts-$SUFFIX-a" "/dev/shm/mm-two-hosts-$SUFFIX-b"
  rmdir /etc/netns 2>/dev/null || true   # only if this script left it empty
  log "logs: $WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

# --- two "hosts" -------------------------------------------------------------------------------------------------
ip netns add "$NS_A"
ip netns add "$NS_B"
ip link add "$IF_A" type veth peer name "$IF_B"
ip link set "$IF_A" netns "$NS_A"
ip link set "$IF_B" netns "$NS_B"
ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A"
ip -n "$NS_B" addr add "$IP_B/24" dev "$IF_B"
for ns in "$NS_A" "$NS_B"; do
  ip -n "$ns" link set lo up
  mkdir -p "/etc/netns/$ns"
  printf '127.0.0.1 localhost\n%s mm-host-a\n%s mm-host-b\n' "$IP_A" "$IP_B" > "/etc/netns/$ns/hosts"
done
ip -n "$NS_A" link set "$IF_A" up
ip -n "$NS_B" link set "$IF_B" up
log "namespaces $NS_A ($IP_A) and $NS_B ($IP_B) connected"

# --- per-host config: the product's files with the host's streams.toml on top -------------------------------------
for h in a b; do
  mkdir -p "$WORK/$h/config" "$WORK/$h/logs" "$WORK/$h/data"
  cp "$ROOT"/config/*.toml "$WORK/$h/config/"
done
cp "$CONF_A"/*.toml "$WORK/a/config/"
cp "$CONF_B"/*.toml "$WORK/b/config/"
# docker --env-file format: NAME=value, no quoting; comments and blank lines skipped.
PRICING_ENV=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  PRICING_ENV+=("$line")
done < "$SPY_ENV"

host_env() { # host -> env assignments of every process on it
  echo "AERON_DIR=/dev/shm/mm-two-hosts-$SUFFIX-$1 MM_CONFIG_DIR=$WORK/$1/config MM_LOG_DIR=$WORK/$1/logs MM_DATA_DIR=$WORK/$1/data LOG_LEVEL=info"
}

start() { # host name command... ; output to $WORK/<host>/<name>.out
  local h=$1 name=$2; shift 2
  local ns=$NS_A wrap=()
  if [[ $h == b ]]; then ns=$NS_B; wrap=("${B_WRAP[@]}"); fi
  # Each host's working directory is its own: relative paths such as data/simulator land under $WORK/<host>.
  # shellcheck disable=SC2046
  (cd "$WORK/$h" && exec ip netns exec "$ns" "${wrap[@]}" env $(host_env "$h") "$@" > "$WORK/$h/$name.out" 2>&1) &
  pids+=($!)
}

mm() { # host mm-args... (the product CLI inside the host)
  local h=$1; shift
  local ns=$NS_A wrap=()
  if [[ $h == b ]]; then ns=$NS_B; wrap=("${B_WRAP[@]}"); fi
  # shellcheck disable=SC2046
  ip netns exec "$ns" "${wrap[@]}" env $(host_env "$h") node "$ROOT/packages/cli/dist/main.js" "$@"
}

wait_healthy() { # host service
  local deadline=$((SECONDS + TIMEOUT_S))
  until mm "$1" health "$2" > /dev/null 2>&1; do
    if ((SECONDS > deadline)); then log "FAIL: $2 on host $1 not healthy after ${TIMEOUT_S}s"; tail -n 20 "$WORK/$1/$2.out"; return 1; fi
    sleep 0.5
  done
  log "$2 on host $1 is live"
}

wait_match() { # file regex what: waits for a line of the file matching the regex, prints it
  local deadline=$((SECONDS + TIMEOUT_S))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    if ((SECONDS > deadline)); then log "FAIL: no $3 within ${TIMEOUT_S}s"; return 1; fi
    sleep 0.5
  done
  log "$3: $(grep -m 1 -E "$2" "$1" | cut -c 1-230)"
}

# --- drivers --------------------------------------------------------------------------------------------------------
start a aeronmd "$AERON_MD" "$HERE/host-a/aeronmd.properties"
start b aeronmd "$AERON_MD" "$HERE/host-b/aeronmd.properties"
for h in a b; do
  deadline=$((SECONDS + 20))
  until [[ -f "/dev/shm/mm-two-hosts-$SUFFIX-$h/cnc.dat" ]]; do
    ((SECONDS < deadline)) || { log "FAIL: driver on host $h did not start"; cat "$WORK/$h/aeronmd.out"; exit 1; }
    sleep 0.2
  done
done
log "Aeron C drivers running on both hosts"

# Readers started before the services, each on the host where its stream arrives: fills (16) are rare against the
# fake market and often come with the first quotes, so every stream is read from its start. `mm tail` exits after
# --count messages. (On A, streams 10 and 13 are spied on, not subscribed: the readers of them run on B.)
S=$STRATEGY_HOST
for spec in b:10:1 b:13:1 $S:14:1 b:15:20 $S:16:1 $S:17:1; do
  IFS=: read -r h n c <<< "$spec"
  start "$h" "tail$n" node "$ROOT/packages/cli/dist/main.js" tail "$n" --count "$c"
done

# --- host A: fake Binance (loopback), collector, pricing ------------------------------------------------------------
start a fake-binance node "$ROOT/packages/fake-binance/dist/main.js" --port "$FAKE_PORT"
start a mm_collector env MM_COLLECTOR__BINANCE__WS_URL="ws://127.0.0.1:$FAKE_PORT" \
  MM_COLLECTOR__BINANCE__REST_URL="http://127.0.0.1:$FAKE_PORT" node "$ROOT/services/collector/dist/main.js"
start a mm_pricing env "${PRICING_ENV[@]}" node "$ROOT/services/pricing/dist/main.js"

# --- host B: simulator; the strategy on B or A ----------------------------------------------------------------------
start b mm_simulator node "$ROOT/services/simulator/dist/main.js"
start "$S" mm_strategy node "$ROOT/services/strategy/dist/main.js"

wait_healthy a mm_collector
wait_healthy a mm_pricing
wait_healthy b mm_simulator
wait_healthy "$S" mm_strategy

# --- what crossed ----------------------------------------------------------------------------------------------------
wait_match "$WORK/b/tail10.out" '"template":"BookSnapshot"' "book (10) on host B, from A over UDP"
wait_match "$WORK/b/tail13.out" '"template":"Trade"' "trade (13) on host B, from A over UDP"
wait_match "$WORK/$S/tail14.out" '"template":"Pricing"' "pricing (14) on host $S"
wait_match "$WORK/b/tail15.out" '"template":"Quote".*"venue":"SIMULATOR"' "two-sided quote (15) on host B"
wait_match "$WORK/$S/tail17.out" '"template":"Position"' "position (17) on host $S"
wait_match "$WORK/$S/tail16.out" '"template":"Fill".*"venue":"SIMULATOR"' "fill (16) on host $S"

for h in a b; do
  AERON_DIR="/dev/shm/mm-two-hosts-$SUFFIX-$h" "$(dirname "$AERON_MD")/AeronStat" -d "/dev/shm/mm-two-hosts-$SUFFIX-$h" -w false \
    > "$WORK/$h/aeron-stat.txt" 2>&1 || true
done
log "driver counters: $WORK/a/aeron-stat.txt, $WORK/b/aeron-stat.txt"
log "PASS ($LAYOUT): books and trades crossed from A to B over Aeron UDP; the strategy (host $S) quoted the simulator (host B), which filled"
