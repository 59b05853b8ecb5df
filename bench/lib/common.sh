# Helpers of bench/run (sourced): clocks, statistics, calls to the platform, process memory, and
# starting and stopping the platform through bin/skiff-local. Expects $root, $work, $raw, $logs.

export LC_ALL=C   # EPOCHREALTIME and printf with a decimal point

now_us() { echo "${EPOCHREALTIME/./}"; }
# Milliseconds between two now_us values.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f\n", (b - a) / 1000}'; }
# Sleeps without a fork (a read that times out on a pipe nobody writes): polling loops stay cheap.
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }
say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

# n p50 p99 min max mean of a file of numbers (nearest-rank percentiles); "0 - - - - -" when empty.
stats() {
  { [ -s "$1" ] && sort -n "$1" || true; } | awk '
    function at(p,  k) { k = int((p * NR + 99) / 100); return v[k < 1 ? 1 : k] }
    {v[NR] = $1; s += $1}
    END {if (NR == 0) {print "0 - - - - -"; exit}
         printf "%d %.1f %.1f %.1f %.1f %.1f\n", NR, at(50), at(99), v[1], v[NR], s / NR}'
}
col() { stats "$1" | awk -v c="$2" '{print $c}'; }   # one column of stats: 1 n, 2 p50, 3 p99, 4 min, 5 max, 6 mean
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx\n", a / b}'; }

# A free loopback port (the kernel's choice; a race with another process only fails that one run).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do p=$((20000 + (RANDOM + BASHPID * 7919) % 10000)); port_busy "$p" || { echo "$p"; return; }; done
  die "no free port"
}

# Remembers a process this run started, so that the exit trap can end it by its id.
own() { echo "$1" >>"$work/own-pids"; }

# --- the platform's API -------------------------------------------------------------------------

# deploy gateway name runtime extra-json -> the version's digest. Uploads the runtime's sample.
deploy() {
  local gw=$1 name=$2 runtime=$3 extra=$4 file handler
  case $runtime in
    exec) file=$root/examples/exec-hello/handler.sh; handler=handler.sh ;;
    java) file=$root/examples/java-hello/target/java-hello.jar; handler=dev.skiff.examples.Hello ;;
  esac
  curl -sf --max-time 30 --data-binary @"$file" "$gw/system/code/$name?filename=$(basename "$file")" >/dev/null \
    || die "upload of $name"
  curl -sf --max-time 30 "$gw/system/functions" -H 'Content-Type: application/json' \
    -d "{\"service\":\"$name\",\"image\":\"code/$name:latest\",\"runtime\":\"$runtime\",\"handler\":\"$handler\"$extra}" \
    | sed -E 's/.*"digest":"([^"]+)".*/\1/' | grep '^sha256:' || die "deploy of $name"
}

# instance_rows agent function -> one line of JSON per instance of the function on that agent
instance_rows() { curl -sf --max-time 5 -H "Authorization: Bearer $internal_token" "$1/v1/instances" | tr '{' '\n' | grep "\"function\":\"$2\"" || true; }
field() { sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\1/"; }   # a field of one instance row

# Kills a function's instances on an agent and waits (at most 30 s) until none is listed or alive.
kill_instances() { # agent function
  local pids p
  pids=$(instance_rows "$1" "$2" | field pid)
  curl -sf --max-time 10 -X DELETE -H "Authorization: Bearer $internal_token" "$1/v1/functions/$2" >/dev/null || true
  for _ in $(seq 1 300); do
    if [ -z "$(instance_rows "$1" "$2")" ]; then
      local alive=0
      for p in $pids; do [ -e "/proc/$p" ] && alive=1; done
      [ $alive = 0 ] && return 0
    fi
    nap 0.1
  done
  die "instances of $2 on $1 still there after 30 s"
}

# One call with curl: prints "ms start node instance" from the X-Skiff-* headers ("-" when absent).
call() { # url [digest] [body]
  local h=$work/h.$BASHPID out code secs
  out=$(curl -s --max-time 180 -o "$h.body" -D "$h" -w '%{http_code} %{time_total}' -d "${3:-bench}" \
    ${2:+-H "X-Skiff-Function-Digest: $2"} -H "Authorization: Bearer $internal_token" "$1") || true
  code=${out%% *} secs=${out#* }
  if [ "$code" != 200 ]; then
    say "call to $1 answered ${code:-nothing}: $(head -c 300 "$h.body" 2>/dev/null)"
    rm -f "$h" "$h.body"
    return 1
  fi
  tr -d '\r' <"$h" | awk -F': *' -v s="$secs" '
    {k = tolower($1)} k == "x-skiff-start" {st = $2} k == "x-skiff-node" {nd = $2} k == "x-skiff-instance" {id = $2}
    END {printf "%.1f %s %s %s\n", s * 1000, st == "" ? "-" : st, nd == "" ? "-" : nd, id == "" ? "-" : id}'
  rm -f "$h" "$h.body"
}

# N calls at once; prints "wall_ms cold_starts failures": wall from launch until the last answered.
burst_calls() { # url digest N
  local dir=$work/calls.$BASHPID t0 t1 i jobs=()
  mkdir -p "$dir"
  t0=$(now_us)
  for i in $(seq 1 "$3"); do
    call "$1" "$2" >"$dir/$i" 2>>"$logs/calls.err" &
    jobs+=($!)
  done
  wait "${jobs[@]}" 2>/dev/null || true
  t1=$(now_us)
  cat "$dir"/* | awk -v n="$3" -v ms="$(ms_between "$t0" "$t1")" '$2 == "cold" {c++} NF == 4 {ok++}
    END {printf "%s %d %d\n", ms, c, n - ok}'
  rm -rf "$dir"
}

# One POST to a loopback port over bash's /dev/tcp, without a fork (the floors time from spawn, so
# they start no client process): true when the status line says 200 within the timeout.
tcp_call() { # port read-timeout-seconds
  local s line=
  { exec {s}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  { printf 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbench' >&"$s"
    read -r -t "$2" -u "$s" line; } 2>/dev/null || true
  exec {s}<&-
  [[ $line == HTTP/1.?" 200"* ]]
}

# rss and pss (KiB) of one process: "rss pss"; pss "-" where smaps_rollup is unreadable.
mem_kib() {
  local rss pss
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || true)
  echo "${rss:--} ${pss:--}"
}
mib() { awk -v k="$1" 'BEGIN {if (k == "-" || k == "") print "-"; else printf "%.1f\n", k / 1024}'; }

# --- the platform -------------------------------------------------------------------------------

# The internal token the benchmark's platforms use (bin/skiff-local keeps the one it finds in the
# data dir): calls straight to an agent present it, as the gateway's do.
internal_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

# start_platform name driver gateway scheduler agent store: bin/skiff-local in its own session with
# its own ports and data dir ($work/name); records, per service, the wall time from launch until
# /q/health/ready answers in $raw/startup-name.tsv. Sets platform_pid.
start_platform() {
  local name=$1 driver=$2 ports=("$3" "$4" "$5" "$6") p
  for p in "${ports[@]}"; do port_busy "$p" && die "port $p is in use (set BENCH_PORT_BASE)"; done
  local t0
  mkdir -p "$work/$name" && (umask 077 && printf '%s' "$internal_token" >"$work/$name/internal-token")
  t0=$(now_us)
  SKIFF_DATA_DIR=$work/$name SKIFF_DRIVER=$driver SKIFF_GATEWAY_PORT=$3 SKIFF_SCHEDULER_PORT=$4 \
    SKIFF_AGENT_PORT=$5 SKIFF_STORE_PORT=$6 setsid "$root/bin/skiff-local" >"$logs/skiff-local-$name.log" 2>&1 &
  platform_pid=$!
  own "$platform_pid"
  local services=(gateway-service scheduler-service node-agent function-store) ready=() i
  : >"$raw/startup-$name.tsv"
  for _ in $(seq 1 1800); do   # 180 s
    for i in 0 1 2 3; do
      [ -n "${ready[$i]:-}" ] && continue
      if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${ports[$i]}/q/health/ready"; then
        ready[$i]=$(now_us)
        printf '%s\t%s\n' "${services[$i]}" "$(ms_between "$t0" "${ready[$i]}")" >>"$raw/startup-$name.tsv"
      fi
    done
    [ "$(wc -l <"$raw/startup-$name.tsv")" = 4 ] && return 0
    kill -0 "$platform_pid" 2>/dev/null || { tail -5 "$logs/skiff-local-$name.log" >&2; die "bin/skiff-local ($name) exited"; }
    nap 0.1
  done
  die "the $name platform was not ready within 180 s"
}

# The pid of one service's JVM in a platform's session.
service_pid() { # session-id service
  local p
  for p in $(pgrep -s "$1"); do
    tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q "/$2/target/quarkus-app/quarkus-run.jar" && { echo "$p"; return; }
  done
}

# The "started in N s" Quarkus logs for a service, in ms.
quarkus_started_ms() { # log
  grep -o 'started in [0-9.]*s' "$1" 2>/dev/null | head -1 | grep -o '[0-9.]*' | awk '{printf "%.0f\n", $1 * 1000}'
}

# Stops a session: TERM to its leader (skiff-local stops its services, they kill their instances),
# then whatever is left of the session is killed by id and named. Bounded: 30 s.
stop_session() { # session-id label
  local sid=$1 left
  [ -n "$sid" ] || return 0
  kill -TERM "$sid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    [ -z "$(pgrep -s "$sid" || true)" ] && return 0
    nap 0.1
  done
  left=$(pgrep -s "$sid" || true)
  say "$2: still running after 30 s, killing: $left"
  for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
}

# Processes this run left behind: any command line naming the work dir or one of our ports.
leftovers() {
  local d p cmd port hit
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$p" = $$ ] && continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
    hit=0
    case $cmd in *"$work"*) hit=1 ;; esac
    for port in "${our_ports[@]}"; do case $cmd in *"-Dquarkus.http.port=$port "*) hit=1 ;; esac; done
    [ $hit = 0 ] || echo "$p ${cmd:0:150}"
  done
}

# --- measurements shared by both phases ---------------------------------------------------------

# wrk_run name url conns [digest]: $duration s of POSTs on conns kept-alive connections (wrk, Lua
# script post.lua); writes $raw/warm-name-c<conns>.sum and .cdf.
wrk_run() {
  local threads=1
  [ "$3" -gt 1 ] && threads=2
  BENCH_OUT=$raw/warm-$1-c$3 BENCH_DIGEST=${4:-} BENCH_TOKEN=$internal_token wrk -t"$threads" -c"$3" -d"${duration}s" --timeout 10s \
    -s "$here/lib/post.lua" "$2" >"$logs/wrk-$1-c$3.log" 2>&1 || die "wrk against $2 (see $logs/wrk-$1-c$3.log)"
  local errors
  errors=$(awk '$1 == "errors" {print $2}' "$raw/warm-$1-c$3.sum")
  [ "$errors" = 0 ] || say "warning: $errors errors in the wrk run $1 c=$3 (see $logs/wrk-$1-c$3.log)"
  [ "$(awk '$1 == "requests" {print $2}' "$raw/warm-$1-c$3.sum")" != 0 ] || say "warning: no call completed in the wrk run $1 c=$3"
}

# Warm paths of one function: straight to its instance (the floor), through its node agent, and
# through the gateway; all three at 1 connection, then all three at $conns. A short unrecorded run
# warms the JITs. Between runs, the calls wrk left in flight finish first: the agent shows none
# active, then settle seconds more (calls straight to an instance are invisible to the agent).
warm_paths() { # series gateway agent function digest settle-seconds
  local port c
  port=$(instance_rows "$3" "$4" | field port | head -1)
  [ -n "$port" ] && [ "$port" != 0 ] || die "no warm instance of $4 on $3"
  (duration=2; wrk_run "warmup-$1" "$2/function/$4" 1)
  settle "$3" "$4" "$6"
  for c in 1 "$conns"; do
    wrk_run "$1-instance" "http://127.0.0.1:$port/" "$c"
    settle "$3" "$4" "$6"
    wrk_run "$1-agent" "$3/v1/functions/$4/invoke" "$c" "$5"
    settle "$3" "$4" "$6"
    wrk_run "$1-gateway" "$2/function/$4" "$c"
    settle "$3" "$4" "$6"
  done
}
settle() { # agent function seconds
  for _ in $(seq 1 300); do   # 30 s
    instance_rows "$1" "$2" | field activeCalls | grep -qv '^0$' || break
    nap 0.1
  done
  nap "$3"
}

# One scale-down: a call, then the times at which its instance left the agent's list and its
# process was gone, each in ms past the idle timeout, from the call's answer (polled every 50 ms,
# at most 60 s). Appends "label idle_s listed_ms gone_ms" to $raw/scaledown.tsv.
scale_down() { # label agent url digest function idle-seconds
  local t_end pid listed=- gone=- t
  call "$3" "$4" >/dev/null || return 1
  t_end=$(now_us)
  pid=$(instance_rows "$2" "$5" | field pid | head -1)
  for _ in $(seq 1 1200); do
    t=$(now_us)
    [ "$listed" = - ] && [ -z "$(instance_rows "$2" "$5")" ] && listed=$t
    [ "$gone" = - ] && [ ! -e "/proc/$pid" ] && gone=$t
    [ "$listed" != - ] && [ "$gone" != - ] && break
    nap 0.05
  done
  [ "$listed" != - ] && [ "$gone" != - ] || die "$5 outlived its idle timeout by 60 s"
  awk -v l="$1" -v i="$6" -v e="$t_end" -v a="$listed" -v g="$gone" \
    'BEGIN {printf "%s\t%s\t%.0f\t%.0f\n", l, i, (a - e) / 1000 - i * 1000, (g - e) / 1000 - i * 1000}' >>"$raw/scaledown.tsv"
}

# Resident memory of the four services of a session: "service tag rss pss" lines.
control_plane_mem() { # session tag
  local s pid
  for s in gateway-service scheduler-service node-agent function-store; do
    pid=$(service_pid "$1" "$s")
    printf '%s\t%s\t%s\n' "$s" "$2" "$(mem_kib "${pid:-0}" | tr ' ' '\t')" >>"$raw/controlplane-mem.tsv"
  done
}

# The ms of one call that must be a cold start, appended to a file.
cold_call() { # file url [digest]
  local r
  r=$(call "$2" "${3:-}") || die "cold call to $2"
  [ "$(echo "$r" | cut -d' ' -f2)" = cold ] || die "expected a cold start from $2, got: $r"
  echo "${r%% *}" >>"$1"
}
