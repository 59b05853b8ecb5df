# bench/run's first phase (sourced): the platform with the process driver, started by
# bin/skiff-local. Control-plane start-up and memory, warm paths of the exec and java samples,
# their cold starts against the glue started by hand, bursts of exec cold starts, resident memory
# of idle instances, and scale-down.

phase_process() {
  say "process driver: starting the platform (bin/skiff-local, ports $gateway_port..)"
  start_platform process process "$gateway_port" "$scheduler_port" "$agent_port" "$store_port"
  process_sid=$platform_pid
  local gw=http://127.0.0.1:$gateway_port ag=http://127.0.0.1:$agent_port s
  for s in gateway-service scheduler-service node-agent function-store; do
    printf '%s\t%s\n' "$s" "$(quarkus_started_ms "$work/process/logs/$s.log")" >>"$raw/startup-quarkus.tsv"
  done
  sleep 2
  control_plane_mem "$process_sid" idle

  local pw_exec pw_java pc_exec pc_java pd_exec pd_java
  pw_exec=$(deploy "$gw" pw-exec exec ',"concurrency":'"$conns"',"labels":{"com.openfaas.scale.max":"1"},"idleTimeoutSeconds":3600')
  pw_java=$(deploy "$gw" pw-java java ',"concurrency":'"$conns"',"labels":{"com.openfaas.scale.max":"1"},"idleTimeoutSeconds":3600')
  pc_exec=$(deploy "$gw" pc-exec exec ',"labels":{"com.openfaas.scale.max":"'"$burst_max"'"},"idleTimeoutSeconds":3600')
  pc_java=$(deploy "$gw" pc-java java ',"idleTimeoutSeconds":3600')
  pd_exec=$(deploy "$gw" pd-exec exec ',"idleTimeoutSeconds":1')
  pd_java=$(deploy "$gw" pd-java java ',"idleTimeoutSeconds":1')
  # the exec sample again, given four 4 KiB secret files and one secret variable, read from the store at each start
  local k
  for k in 1 2 3 4; do
    curl -sf --max-time 10 "$gw/system/secrets" -H 'Content-Type: application/json' \
      -d "{\"name\":\"bench-$k\",\"value\":\"$(head -c 3072 /dev/urandom | base64 -w0)\"}" >/dev/null || die "secret bench-$k"
  done
  deploy "$gw" ps-exec exec ',"idleTimeoutSeconds":3600,"secrets":["bench-1","bench-2","bench-3","bench-4"],"secretEnvVars":{"BENCH":"bench-1"}' >/dev/null

  # the warm functions' instances (used last); the agent extracts its glue jar with the first one
  call "$gw/function/pw-exec" >/dev/null || die "first call of pw-exec"
  call "$gw/function/pw-java" >/dev/null || die "first call of pw-java"
  glue=$work/process/node-agent/runtime-glue.jar
  [ -f "$glue" ] || die "the agent did not extract $glue"

  say "process driver: cold starts ($cold_reps each: by hand, through the agent, through the gateway)"
  local rep rt t0 r
  for rep in $(seq 1 "$cold_reps"); do
    for rt in exec java; do
      local digest=$pc_exec
      [ $rt = java ] && digest=$pc_java
      t0=$(now_us)
      r=$(glue_by_hand $rt)
      [ "${r%% *}" != - ] || die "the $rt glue started by hand did not answer"
      ms_between "$t0" "${r%% *}" >>"$raw/cold-process-$rt-hand.ms"
      kill_instances "$ag" "pc-$rt"
      cold_call "$raw/cold-process-$rt-agent.ms" "$ag/v1/functions/pc-$rt/invoke" "$digest"
      kill_instances "$ag" "pc-$rt"
      cold_call "$raw/cold-process-$rt-gateway.ms" "$gw/function/pc-$rt"
      if [ $rt = exec ]; then
        kill_instances "$ag" ps-exec
        cold_call "$raw/cold-process-exec-secrets-gateway.ms" "$gw/function/ps-exec"
      fi
    done
  done
  sleep 2   # the last cold instances are now idle and warm
  for rt in exec java; do
    printf 'process %s\t%s\n' "$rt" "$(mem_kib "$(instance_rows "$ag" "pc-$rt" | field pid | head -1)" | tr ' ' '\t')" \
      >>"$raw/mem-instances.tsv"
  done
  kill_instances "$ag" pc-java
  kill_instances "$ag" ps-exec

  say "process driver: bursts of exec cold starts, N = 1..$burst_max ($burst_reps each)"
  local n
  for n in $(seq_pow2 "$burst_max"); do
    for rep in $(seq 1 "$burst_reps"); do
      printf 'process-hand\t%s\t%s\n' "$n" "$(burst_by_hand glue-exec "$n")" >>"$raw/burst.tsv"
      kill_instances "$ag" pc-exec
      burst_row process-gateway "$n" "$(burst_calls "$gw/function/pc-exec" "" "$n")"
    done
  done
  kill_instances "$ag" pc-exec

  say "process driver: warm calls (${duration} s per path and concurrency)"
  warm_paths process-exec "$gw" "$ag" pw-exec "$pw_exec" 0.2
  warm_paths process-java "$gw" "$ag" pw-java "$pw_java" 0.2

  say "process driver: scale-down ($scaledown_reps each, idle timeout 1 s)"
  for rep in $(seq 1 "$scaledown_reps"); do
    scale_down "process exec" "$ag" "$gw/function/pd-exec" "" pd-exec 1
    scale_down "process java" "$ag" "$gw/function/pd-java" "" pd-java 1
  done

  control_plane_mem "$process_sid" end
  say "process driver: stopping the platform"
  stop_session "$process_sid" "process platform"
  process_sid=
}

# 1 2 4 ... up to max (and max itself when it is not a power of two).
seq_pow2() { local n=1; while [ "$n" -lt "$1" ]; do echo $n; n=$((n * 2)); done; echo "$1"; }

# Appends a platform burst to burst.tsv: "series N ms", or "-" when a call failed. The agent boots
# one instance per waiting call; a queued call takes whichever instance is ready first, so fewer
# than N answers may say "cold" (the rest waited for a boot and ran on an instance just booted).
burst_row() { # series N "wall cold failures"
  local wall cold failed
  read -r wall cold failed <<<"$3"
  if [ "$failed" != 0 ]; then
    say "warning: burst $1 N=$2: $failed calls failed"
    wall=-
  fi
  printf '%s\t%s\t%s\n' "$1" "$2" "$wall" >>"$raw/burst.tsv"
}
