#!/usr/bin/env bash
# Gateway routing overhead per call with 1 vs 3 node agents: starts the packaged services itself
# (own ports and data under a temp dir), deploys the exec sample, and times WARM sequential warm
# calls straight to the node agent that serves it (the floor) and through the gateway, for each
# cluster size, in one run. Prints p50/p99 and the gateway's overhead over the floor.
# Needs ./mvnw package first. Loopback only; bounded by WARM (default 500) calls per path. Ports:
# BASE (default 18100) .. BASE+13 and BASE+100 .. BASE+113. bench/run calls it as one of its extras.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
warm_runs=${WARM:-500}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

launch() { # name port properties...
  local name=$1 port=$2 module=$1; shift 2
  case "$name" in node-agent*) module=node-agent ;; esac
  SKIFF_STORE_AUTH_PUSH_TOKEN=$token SKIFF_GATEWAY_STORE_TOKEN=$token java -Xmx256m -Dquarkus.http.port="$port" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN "$@" -jar "$root/$module/target/quarkus-app/quarkus-run.jar" \
    >"$work/$name-$port.log" 2>&1 &
  pids+=($!)
}
ready() { for _ in $(seq 1 240); do curl -fsS -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null && return; sleep 0.25; done; echo "port $1 not ready" >&2; exit 1; }
p50() { sort -n "$1" | awk '{v[NR]=$1*1000} END {print v[int(NR*0.5)+(NR*0.5>int(NR*0.5))]}'; }
p99() { sort -n "$1" | awk '{v[NR]=$1*1000} END {print v[int(NR*0.99)+(NR*0.99>int(NR*0.99))]}'; }
warm() { # url file [header]
  for i in $(seq 1 "$warm_runs"); do
    [ "$i" = 1 ] || echo next
    printf 'url = "%s"\ndata = "warm"\noutput = "/dev/null"\nwrite-out = "%%{time_total} %%{http_code}\\n"\n%s' "$1" "${3:-}"
  done >"$work/cfg"
  curl -s -K "$work/cfg" >"$2.raw"
  if grep -qv ' 200$' "$2.raw"; then echo "a call to $1 failed" >&2; exit 1; fi
  cut -d' ' -f1 "$2.raw" >"$2"
}

run() { # agents base-port -> one table row
  local agents=$1 base=$2 store=$2 scheduler=$(($2 + 1)) gateway=$(($2 + 2))
  launch function-store "$store" -Dskiff.store.data-dir="$work/store-$base"
  launch scheduler-service "$scheduler"
  for n in $(seq 1 "$agents"); do
    local port=$((base + 10 + n))
    launch "node-agent-$n" "$port" -Dskiff.node-agent.node-id="node-$n" -Dskiff.node-agent.data-dir="$work/agent-$base-$n" \
      -Dskiff.node-agent.store-url="http://127.0.0.1:$store" -Dskiff.node-agent.scheduler-url="http://127.0.0.1:$scheduler" \
      -Dskiff.node-agent.advertised-url="http://127.0.0.1:$port"
  done
  launch gateway-service "$gateway" -Dskiff.gateway.store-url="http://127.0.0.1:$store" -Dskiff.gateway.scheduler-url="http://127.0.0.1:$scheduler"
  for port in "$store" "$scheduler" "$gateway" $(seq $((base + 11)) $((base + 10 + agents))); do ready "$port"; done
  for _ in $(seq 1 40); do [ "$(curl -s "http://127.0.0.1:$scheduler/v1/nodes" | grep -o '"up":true' | wc -l)" = "$agents" ] && break; sleep 0.25; done
  curl -sf --data-binary @"$root/examples/exec-hello/handler.sh" "http://127.0.0.1:$gateway/system/code/bench?filename=handler.sh" >/dev/null
  local digest
  digest=$(curl -sf "http://127.0.0.1:$gateway/system/functions" -H 'Content-Type: application/json' \
    -d '{"service":"bench","image":"code/bench:latest","runtime":"exec","handler":"handler.sh","idleTimeoutSeconds":600}' \
    | sed -E 's/.*"digest":"([^"]+)".*/\1/')
  local node
  node=$(curl -sf -D - -o /dev/null -d warm "http://127.0.0.1:$gateway/function/bench" | awk -F': ' 'tolower($1)=="x-skiff-node" {print $2}' | tr -d '\r')
  sleep 3   # the routing view picks up the instances (heartbeat, refresh)
  local agent_port=$((base + 10 + ${node#node-}))
  warm "http://127.0.0.1:$agent_port/v1/functions/bench/invoke" "$work/agent-$agents" "header = \"X-Skiff-Function-Digest: $digest\"
"
  warm "http://127.0.0.1:$gateway/function/bench" "$work/gateway-$agents"
  local fa fg
  fa=$(p50 "$work/agent-$agents"); fg=$(p50 "$work/gateway-$agents")
  awk -v a="$agents" -v fa="$fa" -v fg="$fg" -v pa="$(p99 "$work/agent-$agents")" -v pg="$(p99 "$work/gateway-$agents")" \
    'BEGIN {printf "| %d node(s) | %8.2f | %8.2f | %8.2f | %8.2f | %8.2f | %6.2fx |\n", a, fa, pa, fg, pg, fg - fa, fg / fa}'
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()
}

echo "Gateway routing overhead, exec sample, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| cluster   | agent p50 (floor, ms) | agent p99 | gateway p50 | gateway p99 | overhead p50 (ms) | ratio |"
echo "|-----------|---------:|---------:|---------:|---------:|---------:|-------:|"
run 1 "${BASE:-18100}"
run 3 "$((${BASE:-18100} + 100))"
