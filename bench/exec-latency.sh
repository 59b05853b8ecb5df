#!/usr/bin/env bash
# Cold start and warm call of the exec sample, against a running platform (bin/skiff-local):
# through the gateway (the full path), straight to the node agent, and straight to the instance
# (the floor), in one run. Prints milliseconds and ratios to the floor. Bounded: COLD cold starts,
# WARM warm calls per path (defaults 10 and 500). Loopback only.
set -euo pipefail
gateway=${GATEWAY:-http://localhost:8080}
agent=${AGENT:-http://localhost:8082}
cold_runs=${COLD:-10}
warm_runs=${WARM:-500}
fn=bench-exec-cold   # idle timeout 1 s: every call after a pause is a cold start
warm_fn=bench-exec-warm  # idle timeout 300 s: calls straight to the instance do not keep it alive
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stats() { # label file floor_p50 -> "label p50 p99 mean ratio"
  sort -n "$2" | awk -v label="$1" -v floor="${3:-0}" '{v[NR]=$1*1000; s+=$1*1000}
    END {p50=v[int(NR*0.5)+(NR*0.5>int(NR*0.5))]; p99=v[int(NR*0.99)+(NR*0.99>int(NR*0.99))];
         r = floor > 0 ? sprintf("%.2fx", p50/floor) : "1.00x";
         printf "| %-28s | %5d | %8.2f | %8.2f | %8.2f | %7s |\n", label, NR, p50, p99, s/NR, r}'
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

gone() { ! curl -sf "$agent/v1/instances" | grep -q "\"function\":\"$fn\""; }
for _ in $(seq 1 "$cold_runs"); do
  for _ in $(seq 1 100); do gone && break; sleep 0.1; done
  curl -s -o /dev/null -D "$work/h" -w '%{time_total}\n' -d cold "$gateway/function/$fn" >>"$work/cold"
  grep -qi '^X-Skiff-Start: cold' "$work/h" || { echo "expected a cold start" >&2; exit 1; }
done

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

echo "exec sample (examples/exec-hello), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "| path                         |     n | p50 (ms) | p99 (ms) | mean(ms) | p50 / floor |"
echo "|------------------------------|------:|---------:|---------:|---------:|--------:|"
stats "warm: instance direct (floor)" "$work/instance"
stats "warm: through node agent" "$work/agent" "$floor"
stats "warm: through gateway" "$work/gateway" "$floor"
stats "cold start through gateway" "$work/cold" "$floor"
remove "$fn"
remove "$warm_fn"
