#!/usr/bin/env bash
# Push and pull throughput of the function store for 1 MiB, 100 MiB and 1 GiB blobs, against a
# plain file copy on the same disk (the floor), and the store's heap while it moves 1 GiB.
#
# Starts the packaged store (target/quarkus-app/quarkus-run.jar; build it with
# ./mvnw -pl function-store package) with -Xmx256m on a free loopback port and a temporary data
# directory. Push = one monolithic POST streamed from the file (curl -T, which streams where
# --data-binary @file would first read the whole file into curl's memory; the URL is written
# .../uploads?digest= because curl -T appends the file's name to a path ending in /, and the
# store routes both alike); its floor is cp plus
# fsync of the copy, as the store syncs every blob before it becomes visible. Pull = GET into a
# file (curl -o, what a node agent filling its cache does); its floor is a plain cp. "serve" is
# the same GET into /dev/null: the store's own rate, without the client's writes. The median of REPS runs per size (1 MiB: 20, 100 MiB:
# 3, 1 GiB: 1). Heap = the sum of jvm_memory_used_bytes{area="heap"} from /q/metrics, sampled
# every 100 ms. Bounded (curl --max-time 120), loopback only; removes its temporary files.
set -euo pipefail
module=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$module/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -pl function-store package first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-store-bench.XXXXXX")
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
store_pid=
cleanup() {
  set +e
  if [ -n "$store_pid" ]; then kill "$store_pid" 2>/dev/null; wait "$store_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

SKIFF_STORE_AUTH_PUSH_TOKEN=$token java -Xmx256m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 \
  -Dskiff.store.data-dir="$work/data" -jar "$jar" >"$work/store.log" 2>&1 &
store_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(grep -o 'Listening on: http://127.0.0.1:[0-9]*' "$work/store.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  kill -0 "$store_pid" 2>/dev/null || { cat "$work/store.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the store did not start" >&2; exit 1; }
base=http://127.0.0.1:$port

now() { date +%s%N; }
mibps() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.0f", (b / 1048576) / (ns / 1e9) }'; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
heap_bytes() {
  curl -sf --max-time 2 "$base/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$NF} END {printf "%.0f", s}'
}
# Samples heap use into $1 every 100 ms until the file $1.stop exists.
sample_heap() {
  while [ ! -e "$1.stop" ]; do heap_bytes >>"$1" || true; echo >>"$1"; sleep 0.1; done
}
peak_mib() { awk 'NF {if ($1>m) m=$1} END {printf "%.0f", m/1048576}' "$1"; }

push() { # file digest -> elapsed ns
  local t0 t1
  t0=$(now)
  curl -sf --max-time 120 -o /dev/null -X POST -T "$1" -H 'Expect:' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' "$base/v2/bench/blobs/blobs/uploads?digest=$2"
  t1=$(now); echo $((t1 - t0))
}
pull() { # digest out -> elapsed ns
  local t0 t1
  t0=$(now)
  curl -sf --max-time 120 -o "$2" "$base/v2/bench/blobs/blobs/$1"
  t1=$(now); echo $((t1 - t0))
}
copy() { # src dst [sync] -> elapsed ns
  local t0 t1
  t0=$(now)
  cp "$1" "$2"
  [ "${3:-}" = sync ] && sync "$2"
  t1=$(now); echo $((t1 - t0))
}

echo "| blob | push MiB/s | cp+fsync MiB/s | push / floor | pull MiB/s | cp MiB/s | pull / floor | serve MiB/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for spec in "1MiB 1 20" "100MiB 100 3" "1GiB 1024 1"; do
  read -r label mib reps <<<"$spec"
  src=$work/blob-$label
  head -c $((mib * 1048576)) /dev/urandom >"$src"
  bytes=$((mib * 1048576))
  digest=sha256:$(sha256sum "$src" | cut -d' ' -f1)
  : >"$work/t.push"; : >"$work/t.pull"; : >"$work/t.serve"; : >"$work/t.cps"; : >"$work/t.cp"
  if [ "$label" = 1GiB ]; then
    heap_bytes >"$work/heap.idle"
    sample_heap "$work/heap.push" & sampler=$!
  fi
  for _ in $(seq 1 "$reps"); do push "$src" "$digest" >>"$work/t.push"; done
  if [ "$label" = 1GiB ]; then
    touch "$work/heap.push.stop"; wait "$sampler"
    sample_heap "$work/heap.pull" & sampler=$!
  fi
  for _ in $(seq 1 "$reps"); do pull "$digest" "$work/pulled" >>"$work/t.pull"; done
  if [ "$label" = 1GiB ]; then touch "$work/heap.pull.stop"; wait "$sampler"; fi
  for _ in $(seq 1 "$reps"); do pull "$digest" /dev/null >>"$work/t.serve"; done
  cmp -s "$src" "$work/pulled" || { echo "pulled $label differs from what was pushed" >&2; exit 1; }
  rm -f "$work/pulled"
  for _ in $(seq 1 "$reps"); do copy "$src" "$work/copy" sync >>"$work/t.cps"; rm -f "$work/copy"; done
  for _ in $(seq 1 "$reps"); do copy "$src" "$work/copy" >>"$work/t.cp"; rm -f "$work/copy"; done
  p=$(mibps $bytes "$(median <"$work/t.push")"); fs=$(mibps $bytes "$(median <"$work/t.cps")")
  g=$(mibps $bytes "$(median <"$work/t.pull")"); fc=$(mibps $bytes "$(median <"$work/t.cp")")
  sv=$(mibps $bytes "$(median <"$work/t.serve")")
  awk -v l="$label" -v p="$p" -v fs="$fs" -v g="$g" -v fc="$fc" -v sv="$sv" \
    'BEGIN { printf "| %s | %d | %d | %.2f | %d | %d | %.2f | %d |\n", l, p, fs, p/fs, g, fc, g/fc, sv }'
  rm -f "$src"
done
echo
echo "Store heap (sum of jvm_memory_used_bytes{area=\"heap\"}, -Xmx256m): idle $(awk '{printf "%.0f", $1/1048576}' "$work/heap.idle") MiB," \
  "peak during the 1 GiB push $(peak_mib "$work/heap.push") MiB, during the 1 GiB pull $(peak_mib "$work/heap.pull") MiB."
echo "$(nproc) cores, $(date -u +%Y-%m-%d), data directory on $(df -P "$work" | awk 'NR==2 {print $1}')."
