# The floors of bench/run (sourced): the same runtimes started by hand, with no platform around
# them, timed from spawn until they answer their first call.
#   glue:  the runtime glue on a JVM with the process driver's flags and environment
#          (node-agent ProcessLaunchPlan), the glue jar the agent itself extracted ($glue);
#   the first call goes over bash's /dev/tcp (tcp_call): no client process is started in the timing;
#   qemu:  the exact argv the qemu driver logged at DEBUG for a cold boot (QemuDriver), on a port of
#          our own; "restore" is that argv with -incoming fd:3 reading the state file the agent saved.
# Each prints "answer_us console_us pid" (absolute now_us times; console "-" where there is none).
# With "keep", the instance stays up until the file $2 exists (bounded: 10 min), so that a burst's
# instances all run until the last has answered, or memory can be read; the caller kills pid then.

glue_by_hand() { # runtime [release-file]
  local heap=32 handler=handler.sh line port fd pid answered=-
  [ "$1" = java ] && heap=96 handler=dev.skiff.examples.Hello   # heap: 3/4 of the default 128 MiB
  local env=(PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/scratch" TMPDIR="$work/scratch" LANG=C.UTF-8
    SKIFF_RUNTIME="$1" SKIFF_HANDLER="$handler" SKIFF_CODE_DIR="$work/code-$1" SKIFF_PORT=0 SKIFF_BIND=127.0.0.1
    SKIFF_CONCURRENCY=1)
  exec {fd}< <(cd "$work/scratch" && exec env -i "${env[@]}" java -Xmx${heap}m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -Xshare:auto -Dsun.net.httpserver.nodelay=true \
    -cp "$glue" dev.skiff.runtime.Main </dev/null 2>>"$logs/glue-by-hand.err")
  pid=$!
  own "$pid"
  while IFS= read -r -t 60 -u "$fd" line; do [[ $line == *SKIFF_READY* ]] && break; done
  port=${line##*port=}
  [[ $port =~ ^[0-9]+$ ]] && tcp_call "$port" 30 && answered=$(now_us)
  echo "$answered - $pid"
  release "$pid" "$fd" "${2:-}"
}

qemu_by_hand() { # boot|restore [release-file]
  local port fd pid line console=- answered=- args=()
  port=$(free_port)
  mapfile -t args <"$work/qemu-argv"
  args=("${args[@]//@PORT@/$port}")
  if [ "$1" = boot ]; then
    exec {fd}< <(exec "${args[@]}" </dev/null 2>>"$logs/qemu-by-hand.err")
    pid=$!
    own "$pid"
    while IFS= read -r -t 120 -u "$fd" line; do [[ $line == *SKIFF_READY* ]] && { console=$(now_us); break; }; done
  else
    exec {fd}< <(exec "${args[@]}" -incoming fd:3 3<"$qemu_state" </dev/null 2>>"$logs/qemu-by-hand.err")
    pid=$!
    own "$pid"
    # probe only once QEMU has read the whole state, as the agent does (a connection made while the
    # guest is not running yet loses its SYN and waits a retransmission)
    local size pos
    size=$(stat -c %s "$qemu_state")
    for _ in $(seq 1 12000); do   # 60 s
      read -r _ pos 2>/dev/null <"/proc/$pid/fdinfo/3" || break
      [ "$pos" = "$size" ] && break
      nap 0.005
    done
  fi
  for _ in $(seq 1 3000); do   # bounded: 3000 probes of at most 1 s
    kill -0 "$pid" 2>/dev/null || break
    tcp_call "$port" 1 && { answered=$(now_us); break; }
    nap 0.02
  done
  echo "$answered $console $pid"
  release "$pid" "$fd" "${2:-}"
}

# Ends an instance started by hand now, or once the release file exists (keep mode); closes its pipe.
release() { # pid fd [release-file]
  if [ -n "${3:-}" ]; then
    for _ in $(seq 1 6000); do [ -e "$3" ] && break; nap 0.1; done
  fi
  local fd=$2
  kill -KILL "$1" 2>/dev/null || true
  exec {fd}<&- 2>/dev/null || true
}

# Makes $work/qemu-argv (one argument per line, the host port as @PORT@) from the driver's DEBUG
# line "function F instance I: setpriv ... qemu-system-x86_64 ...": arguments are joined by spaces
# there, so the kernel command line after -append is the run of words up to the next option.
qemu_argv_from_log() { # log function: its first instance's command line
  local line toks i n v
  line=$({ grep -m1 "QemuDriver.* function $2 instance [^ ]*: " "$1" || true; } \
    | sed -E "s/.* function $2 instance [^ ]*: //; s/ -(qmp|incoming) .*//")
  [ -n "$line" ] || die "no DEBUG command line of an instance of $2 in $1"
  read -ra toks <<<"$line"
  n=${#toks[@]}; i=0
  : >"$work/qemu-argv"
  while [ "$i" -lt "$n" ]; do
    if [ "${toks[$i]}" = -append ]; then
      v=${toks[$((i + 1))]}; i=$((i + 2))
      while [ "$i" -lt "$n" ] && [[ ${toks[$i]} != -* ]]; do v="$v ${toks[$i]}"; i=$((i + 1)); done
      printf -- '-append\n%s\n' "$v" >>"$work/qemu-argv"
    else
      printf '%s\n' "${toks[$i]}" | sed -E 's/hostfwd=tcp:127\.0\.0\.1:[0-9]+-/hostfwd=tcp:127.0.0.1:@PORT@-/' >>"$work/qemu-argv"
      i=$((i + 1))
    fi
  done
  grep -q '@PORT@' "$work/qemu-argv" || die "no host forward in the logged command line"
}

# burst kind N: N instances started by hand at once, all kept until the last answered; prints the
# wall time in ms from launch until the last answered, or "-" when one did not answer.
burst_by_hand() { # glue-exec|qemu-boot|qemu-restore N
  local n=$2 t0 dir=$work/burst.$$.$RANDOM i jobs=()
  mkdir -p "$dir"
  t0=$(now_us)
  for i in $(seq 1 "$n"); do
    case $1 in
      glue-*) glue_by_hand "${1#glue-}" "$dir/release" >"$dir/$i" & ;;
      qemu-*) qemu_by_hand "${1#qemu-}" "$dir/release" >"$dir/$i" & ;;
    esac
    jobs+=($!)
  done
  for _ in $(seq 1 3000); do   # 300 s
    [ "$(cat "$dir"/[0-9]* 2>/dev/null | wc -l)" = "$n" ] && break
    nap 0.05
  done
  touch "$dir/release"
  wait "${jobs[@]}" 2>/dev/null || true
  if cat "$dir"/[0-9]* | awk '$1 == "-" {bad = 1} END {exit !bad}' || [ "$(cat "$dir"/[0-9]* | wc -l)" != "$n" ]; then
    echo -
  else
    cat "$dir"/[0-9]* | awk -v t0="$t0" '$1 > m {m = $1} END {printf "%.1f\n", (m - t0) / 1000}'
  fi
  rm -rf "$dir"
}
