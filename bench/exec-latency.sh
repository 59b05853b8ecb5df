#!/usr/bin/env bash
# The node agent's costs, against a running platform (bin/skiff-local), in one run:
# - warm calls of the exec sample straight to the instance (the floor), through the node agent and
#   through the gateway: latency p50/p99 and sequential throughput on one kept-alive connection;
# - cold starts through the gateway of the exec and java samples, against the floor of starting
#   the same runtime glue by hand (no platform) until it reports ready;
# - resident memory of one idle warm instance per runtime.
# Bounded: COLD cold starts, WARM warm calls per path (defaults 10 and 500). Loopback only.
set -euo pipefail
gateway=${GATEWAY:-http://localhost:8080}
agent=${AGENT:-http://localhost:8082}
cold_runs=${COLD:-10}
warm_runs=${WARM:-500}
fn=bench-exec-cold   # idle timeout 1 s: every call after a pause is a cold start
java_fn=bench-java-cold
warm_fn=bench-exec-warm  # idle timeout 300 s: calls straight to the instance do not keep it alive
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stats() { # label file floor_p50 -> "label n p50 p99 mean calls/s ratio"
  sort -n "$2" | awk -v label="$1" -v floor="${3:-0}" '{v[NR]=$1*1000; s+=$1*1000}
    END {p50=v[int(NR*0.5)+(NR*0.5>int(NR*0.5))]; p99=v[int(NR*0.99)+(NR*0.99>int(NR*0.99))];
         r = floor > 0 ? sprintf("%.2fx", p50/floor) : "1.00x";
         printf "| %-32s | %4d | %8.2f | %8.2f | %8.2f | %8.0f | %7s |\n", label, NR, p50, p99, s/NR, 1000*NR/s, r}'
}
p50() { sort -n "$1" | awk '{v[NR]=$1*1000} END {print v[int(NR*0.5)+(NR*0.5>int(NR*0.5))]}'; }

remove() { curl -sf -X DELETE "$gateway/system/functions" -H 'Content-Type: application/json' -d "{\"functionName\":\"$1\"}" >/dev/null || true; }
deploy() { # name idle-timeout -> prints the version digest
  remove "$1"
  curl -sf --data-binary @"$root/examples/exec-hello/handler.sh" "$gateway/system/code/$1?filename=handler.sh" >/dev/null
  curl -sf "$gateway/system/functions" -H 'Content-Type: application/json' -d "{\"service\":\"$1\",
    \"image\":\"code/$1:latest\",\"runtime\":\"exec\",\"handler\":\"handler.sh\",\"idleTimeoutSeconds\":$2}" \
    | sed -E 's/.*"digest":"([^"]+)".*/\1/'
}
deploy "$fn" 1 >/dev/null
digest=$(deploy "$warm_fn" 300)
remove "$java_fn"
curl -sf --data-binary @"$root/examples/java-hello/target/java-hello.jar" "$gateway/system/code/$java_fn?filename=java-hello.jar" >/dev/null
curl -sf "$gateway/system/functions" -H 'Content-Type: application/json' -d "{\"service\":\"$java_fn\",
  \"image\":\"code/$java_fn:latest\",\"runtime\":\"java\",\"handler\":\"dev.skiff.examples.Hello\",\"idleTimeoutSeconds\":1}" >/dev/null

gone() { ! curl -sf "$agent/v1/instances" | grep -q "\"function\":\"$1\""; }
cold() { # function file: COLD cold starts, each after the function's instances idled out
  for _ in $(seq 1 "$cold_runs"); do
    for _ in $(seq 1 100); do gone "$1" && break; sleep 0.1; done
    curl -s -o /dev/null -D "$work/h" -w '%{time_total}\n' -d cold "$gateway/function/$1" >>"$2"
    grep -qi '^X-Skiff-Start: cold' "$work/h" || { echo "expected a cold start of $1" >&2; exit 1; }
  done
}
cold "$fn" "$work/cold-exec"
cold "$java_fn" "$work/cold-java"

# the floor of a cold start: the same glue, same flags, started by hand until it reports ready
glue="$root/data/node-agent/runtime-glue.jar"
[ -f "$glue" ] || glue=$(ls "$root"/runtime-glue/target/runtime-glue-*.jar | head -1)
mkdir -p "$work/code" && cp "$root/examples/exec-hello/handler.sh" "$work/code/" && cp "$root/examples/java-hello/target/java-hello.jar" "$work/code/"
by_hand() { # runtime handler -> seconds until SKIFF_READY (polled every 2 ms)
  local start end pid
  : >"$work/out"
  start=$(date +%s%N)
  env -i PATH=/usr/bin:/bin SKIFF_RUNTIME="$1" SKIFF_HANDLER="$2" SKIFF_CODE_DIR="$work/code" \
    java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -Xshare:auto \
    -Dsun.net.httpserver.nodelay=true -cp "$glue" dev.skiff.runtime.Main >"$work/out" 2>/dev/null &
  pid=$!
  until grep -q SKIFF_READY "$work/out"; do sleep 0.002; done
  end=$(date +%s%N)
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.6f\n", (e - s) / 1e9}'
}
for _ in $(seq 1 "$cold_runs"); do by_hand exec handler.sh >>"$work/hand-exec"; by_hand java dev.skiff.examples.Hello >>"$work/hand-java"; done

curl -sf -o /dev/null -d warm "$gateway/function/$warm_fn"   # one warm instance
port=$(curl -sf "$agent/v1/instances" | grep -o "\"function\":\"$warm_fn\"[^}]*\"port\":[0-9]*" | grep -o '[0-9]*$' | head -1)
warm() { # url file [extra curl config line]: WARM calls on one kept-alive connection
  for i in $(seq 1 "$warm_runs"); do
    [ "$i" = 1 ] || echo next   # options of one entry must not pile up on the next
    printf 'url = "%s"\ndata = "warm"\noutput = "/dev/null"\nwrite-out = "%%{time_total} %%{http_code}\\n"\n%s' "$1" "${3:-}"
  done >"$work/cfg"
  curl -s -K "$work/cfg" >"$2.raw"
  if grep -qv ' 200$' "$2.raw"; then echo "a warm call to $1 failed: $(grep -v ' 200$' "$2.raw" | head -1)" >&2; exit 1; fi
  cut -d' ' -f1 "$2.raw" >"$2"
}
warm "http://127.0.0.1:$port/" "$work/instance"
warm "$agent/v1/functions/$warm_fn/invoke" "$work/agent" "header = \"X-Skiff-Function-Digest: $digest\"
"
warm "$gateway/function/$warm_fn" "$work/gateway"
floor=$(p50 "$work/instance")

rss_of() { # function -> resident KiB of its first instance's process tree root
  local pid
  pid=$(curl -sf "$agent/v1/instances" | grep -o "\"function\":\"$1\"[^}]*\"pid\":[0-9]*" | grep -o '[0-9]*$' | head -1)
  awk '/^VmRSS/ {print $2}' "/proc/$pid/status"
}
curl -sf -o /dev/null -d warm "$gateway/function/$java_fn"
sleep 1
exec_rss=$(rss_of "$warm_fn"); java_rss=$(rss_of "$java_fn")

echo "Skiff node agent, process driver, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| warm calls, exec sample           |    n | p50 (ms) | p99 (ms) | mean(ms) |  calls/s | p50 / floor |"
echo "|----------------------------------|-----:|---------:|---------:|---------:|---------:|--------:|"
stats "instance direct (floor)" "$work/instance"
stats "through node agent" "$work/agent" "$floor"
stats "through gateway (full path)" "$work/gateway" "$floor"
echo
echo "| cold start                        |    n | p50 (ms) | p99 (ms) | mean(ms) |  starts/s | p50 / floor |"
echo "|----------------------------------|-----:|---------:|---------:|---------:|---------:|--------:|"
stats "exec: glue by hand (floor)" "$work/hand-exec"
stats "exec: first call through gateway" "$work/cold-exec" "$(p50 "$work/hand-exec")"
stats "java: glue by hand (floor)" "$work/hand-java"
stats "java: first call through gateway" "$work/cold-java" "$(p50 "$work/hand-java")"
echo
echo "idle warm instance, resident memory: exec $((exec_rss / 1024)) MiB, java $((java_rss / 1024)) MiB"
remove "$fn"
remove "$warm_fn"
remove "$java_fn"
