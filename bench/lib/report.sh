# bench/run's report (sourced): report.md (markdown tables, absolute numbers and ratios to each
# scenario's floor) and PNG plots (gnuplot) from the raw files the phases wrote in $raw.

sum_of() { awk -v k="$2" '$1 == k {print $2}' "$1" 2>/dev/null; }   # a value of a wrk .sum file

warm_table() {
  echo "| function, driver | path | c=1 p50 (ms) | c=1 p99 (ms) | c=1 calls/s | c=$conns p50 (ms) | c=$conns p99 (ms) | c=$conns calls/s | p50 / floor (c=1) | calls/s / floor (c=$conns) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  local series path f1 fn label
  for series in process-exec process-java qemu-exec; do
    [ -f "$raw/warm-$series-instance-c1.sum" ] || continue
    local floor50 floorrate
    floor50=$(sum_of "$raw/warm-$series-instance-c1.sum" p50)
    floorrate=$(sum_of "$raw/warm-$series-instance-c$conns.sum" rate)
    for path in instance agent gateway; do
      f1=$raw/warm-$series-$path-c1.sum fn=$raw/warm-$series-$path-c$conns.sum
      case $path in instance) label="instance direct (floor)" ;; agent) label="through node agent" ;; gateway) label="through gateway (full path)" ;; esac
      printf '| %s | %s | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %s | %s |\n' "${series/-/ }" "$label" \
        "$(sum_of "$f1" p50)" "$(sum_of "$f1" p99)" "$(sum_of "$f1" rate)" \
        "$(sum_of "$fn" p50)" "$(sum_of "$fn" p99)" "$(sum_of "$fn" rate)" \
        "$(ratio "$(sum_of "$f1" p50)" "$floor50")" "$(ratio "$(sum_of "$fn" rate)" "$floorrate")"
    done
  done
}

cold_row() { # label file floor-file [second-floor-file]
  local s
  read -r -a s <<<"$(stats "$2")"
  printf '| %s | %s | %s | %s | %s | %s | %s |' "$1" "${s[0]}" "${s[1]}" "${s[2]}" "${s[3]}" "${s[4]}" \
    "$(ratio "${s[1]}" "$(col "$3" 2)")"
  [ -n "${4:-}" ] && printf ' %s |' "$(ratio "${s[1]}" "$(col "$4" 2)")"
  echo
}

cold_tables() {
  [ -s "$raw/cold-process-exec-hand.ms" ] || { cold_qemu_table; return; }
  echo "| process driver, until the first call is answered | n | p50 (ms) | p99 (ms) | min | max | p50 / floor |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local rt
  for rt in exec java; do
    cold_row "$rt: glue started by hand (floor)" "$raw/cold-process-$rt-hand.ms" "$raw/cold-process-$rt-hand.ms"
    cold_row "$rt: through the node agent" "$raw/cold-process-$rt-agent.ms" "$raw/cold-process-$rt-hand.ms"
    cold_row "$rt: through the gateway (full path)" "$raw/cold-process-$rt-gateway.ms" "$raw/cold-process-$rt-hand.ms"
    if [ $rt = exec ] && [ -s "$raw/cold-process-exec-secrets-gateway.ms" ]; then
      cold_row "exec with 4 secret files (4 KiB each) and 1 secret variable, through the gateway" \
        "$raw/cold-process-exec-secrets-gateway.ms" "$raw/cold-process-exec-hand.ms"
    fi
  done
  echo
  cold_qemu_table
}

cold_qemu_table() {
  [ -s "$raw/cold-qemu-boot-hand.ms" ] || return 0
  echo "| qemu driver ($accel), exec sample, until the first call is answered | n | p50 (ms) | p99 (ms) | min | max | p50 / boot floor | p50 / restore by hand |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  local b=$raw/cold-qemu-boot-hand.ms r=$raw/cold-qemu-restore-hand.ms
  cold_row "raw QEMU boot by hand, no platform (floor)" "$b" "$b" "$r"
  cold_row "&nbsp;&nbsp;same, until SKIFF_READY on the console" "$raw/cold-qemu-boot-hand-console.ms" "$b" "$r"
  cold_row "boot through the node agent (snapshots off)" "$raw/cold-qemu-boot-agent.ms" "$b" "$r"
  cold_row "&nbsp;&nbsp;agent's log: guest ready on its console" "$raw/cold-qemu-boot-agent-console.ms" "$b" "$r"
  cold_row "first VM of a version through the agent (boot + save snapshot)" "$raw/cold-qemu-first-agent.ms" "$b" "$r"
  cold_row "raw QEMU restore by hand (-incoming fd: of the saved state)" "$r" "$b" "$r"
  cold_row "snapshot restore through the node agent" "$raw/cold-qemu-restore-agent.ms" "$b" "$r"
}

# Median ms per series and N: "series N ms" lines in $raw/burst-median.tsv ("-" if a run failed).
burst_medians() {
  sort -t$'\t' -k1,1 -k2,2n -k3,3g "$raw/burst.tsv" | awk -F'\t' '
    function flush() {if (key == "") return; print key "\t" (bad ? "-" : (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2))}
    {k = $1 "\t" $2; if (k != key) {flush(); key = k; n = 0; bad = 0}
     if ($3 == "-") bad = 1; else v[++n] = $3}
    END {flush()}' >"$raw/burst-median.tsv"
  rm -f "$raw"/burst-*.dat
  awk -F'\t' -v d="$raw" '$3 != "-" {print $2, $3 / 1000 > (d "/burst-" $1 ".dat")}' "$raw/burst-median.tsv"
}

burst_table() {
  local ns series label floor
  ns=$(cut -f2 "$raw/burst-median.tsv" | sort -nu | tr '\n' ' ')
  printf '| N simultaneous cold starts: ms until all answered (median of runs) |'
  for n in $ns; do printf ' N=%s |' "$n"; done
  printf '\n|---|'
  for n in $ns; do printf -- '---:|'; done
  echo
  for series in process-hand process-gateway qemu-boot-hand qemu-boot-agent qemu-restore-hand qemu-restore-agent; do
    grep -q "^$series	" "$raw/burst-median.tsv" || continue
    case $series in
      process-hand) label="process exec: glue by hand (floor)"; floor= ;;
      process-gateway) label="process exec: through the gateway"; floor=process-hand ;;
      qemu-boot-hand) label="qemu: raw boots by hand (floor)"; floor= ;;
      qemu-boot-agent) label="qemu: boots through the agent"; floor=qemu-boot-hand ;;
      qemu-restore-hand) label="qemu: raw restores by hand"; floor=qemu-boot-hand ;;
      qemu-restore-agent) label="qemu: restores through the agent"; floor=qemu-boot-hand ;;
    esac
    printf '| %s |' "$label"
    for n in $ns; do printf ' %s |' "$(burst_value "$series" "$n")"; done
    echo
    [ -n "$floor" ] || continue
    printf '| &nbsp;&nbsp;ratio to %s |' "${floor/-/ }"
    for n in $ns; do printf ' %s |' "$(ratio "$(burst_value "$series" "$n")" "$(burst_value "$floor" "$n")")"; done
    echo
  done
}
burst_value() { awk -F'\t' -v s="$1" -v n="$2" '$1 == s && $2 == n {v = $3} END {print v == "" ? "" : v}' "$raw/burst-median.tsv"; }

memory_tables() {
  echo "| idle warm instance | RSS (MiB) | PSS (MiB) |"
  echo "|---|---:|---:|"
  awk -F'\t' '{printf "| %s | %.1f | %s |\n", $1, $2 / 1024, $3 == "-" ? "-" : sprintf("%.1f", $3 / 1024)}' "$raw/mem-instances.tsv"
  [ -s "$raw/controlplane-mem.tsv" ] || return 0
  echo
  echo "| control plane (JVM mode, -Xmx256m) | start-up, Quarkus \"started in\" (ms) | ready after launch (ms) | RSS idle (MiB) | PSS idle (MiB) | RSS after the run (MiB) | PSS after the run (MiB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local s
  for s in gateway-service scheduler-service node-agent function-store; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$s" \
      "$(awk -F'\t' -v s="$s" '$1 == s {print $2}' "$raw/startup-quarkus.tsv")" \
      "$(awk -F'\t' -v s="$s" '$1 == s {printf "%.0f", $2}' "$raw/startup-process.tsv")" \
      "$(mib "$(awk -F'\t' -v s="$s" '$1 == s && $2 == "idle" {print $3}' "$raw/controlplane-mem.tsv")")" \
      "$(mib "$(awk -F'\t' -v s="$s" '$1 == s && $2 == "idle" {print $4}' "$raw/controlplane-mem.tsv")")" \
      "$(mib "$(awk -F'\t' -v s="$s" '$1 == s && $2 == "end" {print $3}' "$raw/controlplane-mem.tsv")")" \
      "$(mib "$(awk -F'\t' -v s="$s" '$1 == s && $2 == "end" {print $4}' "$raw/controlplane-mem.tsv")")"
  done
}

scaledown_table() {
  echo "| instance | idle timeout (s) | n | left the agent's list, past the timeout: p50 / max (ms) | process gone, past the timeout: p50 / max (ms) |"
  echo "|---|---:|---:|---:|---:|"
  local label
  cut -f1 "$raw/scaledown.tsv" | awk '!seen[$0]++' | while IFS= read -r label; do
    awk -F'\t' -v l="$label" '$1 == l {print $3}' "$raw/scaledown.tsv" >"$raw/sd-l"
    awk -F'\t' -v l="$label" '$1 == l {print $4}' "$raw/scaledown.tsv" >"$raw/sd-g"
    printf '| %s | %s | %s | %s / %s | %s / %s |\n' "$label" \
      "$(awk -F'\t' -v l="$label" '$1 == l {print $2; exit}' "$raw/scaledown.tsv")" "$(col "$raw/sd-l" 1)" \
      "$(col "$raw/sd-l" 2)" "$(col "$raw/sd-l" 5)" "$(col "$raw/sd-g" 2)" "$(col "$raw/sd-g" 5)"
  done
  rm -f "$raw/sd-l" "$raw/sd-g"
}

plots() {
  command -v gnuplot >/dev/null || { say "no gnuplot: no plots (apt-get install -y gnuplot-nox)"; return 0; }
  gnuplot -e "raw='$raw'; out='$report'; conns=$conns" "$here/lib/plots.gp" 2>>"$logs/gnuplot.err" \
    || say "warning: gnuplot failed (see $logs/gnuplot.err)"
}

write_report() {
  local md=$report/report.md
  [ -s "$raw/burst.tsv" ] && burst_medians   # the plot reads the medians
  plots
  {
    echo "# Skiff benchmark, $(date -u +%Y-%m-%d) ($run_id)"
    echo
    echo "\`bench/run\` on commit \`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')\`$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)'), every scenario in one run on this machine, each against its floor measured in the same run; the whole run took $(( ($(now_us) - run_t0) / 60000000 )) min $(( ($(now_us) - run_t0) / 1000000 % 60 )) s. The machine is shared: read the ratios more than the absolute numbers."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "|---|---|"
    cat "$raw/machine.md"
    echo
    echo "## Warm invocations"
    echo
    echo "wrk, $duration s per row and concurrency, POST of a 5-byte body; the exec sample forks its script per call. Floor: calls straight to the instance's port."
    echo
    warm_table
    echo
    echo "## Cold starts"
    echo
    echo "Time from the first call (or, for the floors, from spawning the runtime by hand) until its answer. The node agent's headroom rule is off in this run so that every cold start measured is the only instance booting."
    echo
    cold_tables
    echo
    [ -s "$raw/qemu-snapshot.txt" ] && echo "Snapshot of the sample's VM: $(cat "$raw/qemu-snapshot.txt")." && echo
    if [ -s "$raw/burst.tsv" ]; then
      echo "## Bursts of simultaneous cold starts"
      echo
      echo "N calls at once to a function with no instance (concurrency 1: the agent boots one instance per waiting call, and a queued call takes whichever instance is ready first), ms until the last is answered; floors start N runtimes by hand at once, all kept running until the last answered."
      echo
      burst_table
      echo
    fi
    echo "## Memory and start-up"
    echo
    echo "Idle instances 2 s after their first call; the single process's RSS and PSS (\`/proc/<pid>/smaps_rollup\`). Control plane: the four services as \`bin/skiff-local\` starts them, all four at once on 2 cores, JVM mode (a native build needs GraalVM or Mandrel, which this machine does not have, so native numbers are not measured)."
    echo
    memory_tables
    echo
    echo "## Scale-down"
    echo
    echo "One call, then the agent's \`GET /v1/instances\` and \`/proc/<pid>\` polled every 50 ms; times past the idle timeout, from the call's answer (the agent's reaper runs every second)."
    echo
    scaledown_table
    echo
    if ls "$raw"/extra-*.md >/dev/null 2>&1; then
      echo "## The other benchmark scripts, same run"
      echo
      local f
      for f in "$raw"/extra-*.md; do cat "$f"; echo; done
    fi
    echo "## Plots"
    echo
    [ -f "$report/warm-latency.png" ] && echo "![warm call latency distribution](warm-latency.png)" && echo
    [ -f "$report/burst.png" ] && echo "![cold-start time against simultaneous cold starts](burst.png)" && echo
    echo "Processes left after the run: $(cat "$raw/leftovers.txt" 2>/dev/null || echo 'not checked')."
  } >"$md"
}
