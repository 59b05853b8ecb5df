# bench/run's second phase (sourced): the platform with SKIFF_DRIVER=qemu (bin/skiff-local; its
# agent restores snapshots) plus a second qemu agent with snapshots off, so that cold boots and
# restores are both measured through an agent. The second agent is called directly and never
# registers with the scheduler (its scheduler URL is a closed port), so the gateway routes nothing
# to it. Floors: the driver's own logged QEMU command line
# run by hand (boot), and the same with the agent's saved state (restore).

phase_qemu() {
  say "qemu driver: starting the platform (bin/skiff-local with SKIFF_DRIVER=qemu) and a second agent without snapshots"
  QUARKUS_LOG_CATEGORY__DEV_SKIFF_AGENT_DRIVER_QEMU__LEVEL=DEBUG SKIFF_NODE_AGENT_BOOT_TIMEOUT=180s \
    start_platform qemu qemu "$gateway_port" "$scheduler_port" "$agent_port" "$store_port"
  qemu_sid=$platform_pid
  QUARKUS_LOG_CATEGORY__DEV_SKIFF_AGENT_DRIVER_QEMU__LEVEL=DEBUG SKIFF_NODE_AGENT_BOOT_TIMEOUT=180s setsid \
    java -Xmx256m -Dquarkus.http.port="$agent2_port" -Dskiff.node-agent.node-id=node-2 \
    -Dskiff.node-agent.data-dir="$work/qemu-nosnap" -Dskiff.node-agent.driver=qemu \
    -Dskiff.node-agent.qemu.image-dir="$root/images/out" -Dskiff.node-agent.qemu.snapshots=false \
    -Dskiff.node-agent.store-url="http://127.0.0.1:$store_port" \
    -Dskiff.node-agent.scheduler-url=http://127.0.0.1:9 \
    -Dskiff.node-agent.advertised-url="http://127.0.0.1:$agent2_port" \
    -jar "$root/node-agent/target/quarkus-app/quarkus-run.jar" >"$logs/node-agent-2.log" 2>&1 &
  agent2_sid=$!
  own "$agent2_sid"
  local gw=http://127.0.0.1:$gateway_port a1=http://127.0.0.1:$agent_port a2=http://127.0.0.1:$agent2_port
  local log1=$work/qemu/logs/node-agent.log log2=$logs/node-agent-2.log
  for _ in $(seq 1 900); do   # both agents up and done with their KVM probe (90 s)
    grep -q 'accelerator' "$log1" 2>/dev/null && grep -q 'accelerator' "$log2" && curl -fs -o /dev/null "$a2/q/health/ready" && break
    kill -0 "$agent2_sid" 2>/dev/null || die "the second agent exited (see $log2)"
    nap 0.1
  done
  accel=$(grep -o 'accelerator [a-z]*' "$log1" | head -1 | cut -d' ' -f2 || true)
  [ -n "$accel" ] || die "the qemu agent chose no accelerator within 90 s"

  local qc qw qd
  qc=$(deploy "$gw" qc exec ',"labels":{"com.openfaas.scale.max":"'"$qemu_burst_max"'"},"idleTimeoutSeconds":3600')
  qw=$(deploy "$gw" qw exec ',"concurrency":'"$conns"',"labels":{"com.openfaas.scale.max":"1"},"idleTimeoutSeconds":3600')
  qd=$(deploy "$gw" qd exec ',"labels":{"com.openfaas.scale.max":"1"},"idleTimeoutSeconds":1')

  say "qemu driver ($accel): the first VM of a version, booted and saved as its snapshot"
  cold_call "$raw/cold-qemu-first-agent.ms" "$a1/v1/functions/qc/invoke" "$qc"
  local key
  key=$(grep -o 'function qc instance [^ ]* saved as snapshot [^ ]*' "$log1" | head -1 | awk '{print $NF}' || true)
  [ -n "$key" ] || die "the first qc VM was not saved (see $log1)"
  qemu_state=$work/qemu/node-agent/snapshots/$key.state
  grep -o 'saved as snapshot [^ ]* ([0-9]* MiB) in [0-9]* ms' "$log1" | head -1 >"$raw/qemu-snapshot.txt"

  say "qemu driver: cold boots and restores ($qemu_cold_reps each: by hand and through an agent)"
  local rep t0 r
  for rep in $(seq 1 "$qemu_cold_reps"); do
    kill_instances "$a2" qc
    cold_call "$raw/cold-qemu-boot-agent.ms" "$a2/v1/functions/qc/invoke" "$qc"
    [ "$rep" = 1 ] && qemu_argv_from_log "$log2" qc
    kill_instances "$a2" qc
    t0=$(now_us)
    r=$(qemu_by_hand boot)
    read -r answered console _ <<<"$r"
    [ "$answered" != - ] || die "QEMU booted by hand did not answer (see $logs/qemu-by-hand.err)"
    ms_between "$t0" "$answered" >>"$raw/cold-qemu-boot-hand.ms"
    [ "$console" != - ] && ms_between "$t0" "$console" >>"$raw/cold-qemu-boot-hand-console.ms"
    kill_instances "$a1" qc
    cold_call "$raw/cold-qemu-restore-agent.ms" "$a1/v1/functions/qc/invoke" "$qc"
    kill_instances "$a1" qc
    t0=$(now_us)
    r=$(qemu_by_hand restore)
    [ "${r%% *}" != - ] || die "QEMU restored by hand did not answer (see $logs/qemu-by-hand.err)"
    ms_between "$t0" "${r%% *}" >>"$raw/cold-qemu-restore-hand.ms"
  done
  local restored
  restored=$(grep -c 'function qc instance [^ ]* restored from snapshot' "$log1" || true)
  [ "$restored" -ge "$qemu_cold_reps" ] || die "only $restored of $qemu_cold_reps qc VMs were restored from the snapshot"
  # agents' console-ready times of their cold boots, from the driver's DEBUG lines
  grep -o 'function qc instance [^ ]*: guest ready on its console after [0-9]* ms' "$log2" | awk '{print $(NF - 1)}' \
    | head -"$qemu_cold_reps" >"$raw/cold-qemu-boot-agent-console.ms" || true

  say "qemu driver: resident memory of idle VMs"
  qemu_memory "$gw" "$a1" "$a2" "$qc"

  say "qemu driver: bursts of cold starts, N = 1..$qemu_burst_max"
  local n
  for n in $(seq_pow2 "$qemu_burst_max"); do
    for rep in $(seq 1 "$qemu_burst_reps"); do
      printf 'qemu-boot-hand\t%s\t%s\n' "$n" "$(burst_by_hand qemu-boot "$n")" >>"$raw/burst.tsv"
      burst_row qemu-boot-agent "$n" "$(burst_calls "$a2/v1/functions/qc/invoke" "$qc" "$n")"
      kill_instances "$a2" qc
      printf 'qemu-restore-hand\t%s\t%s\n' "$n" "$(burst_by_hand qemu-restore "$n")" >>"$raw/burst.tsv"
      burst_row qemu-restore-agent "$n" "$(burst_calls "$a1/v1/functions/qc/invoke" "$qc" "$n")"
      kill_instances "$a1" qc
    done
  done

  say "qemu driver: warm calls (${duration} s per path and concurrency)"
  r=$(call "$gw/function/qw") || die "first call of qw"
  sleep 3   # the gateway's routing view learns of the instance (heartbeat, refresh)
  warm_paths qemu-exec "$gw" "$a1" qw "$qw" 2
  kill_instances "$a1" qw

  say "qemu driver: scale-down ($scaledown_reps, idle timeout 1 s)"
  for rep in $(seq 1 "$scaledown_reps"); do
    scale_down "qemu exec (restored VM)" "$a1" "$a1/v1/functions/qd/invoke" "$qd" qd 1
  done

  say "qemu driver: stopping the platform and the second agent"
  stop_session "$agent2_sid" "second qemu agent"
  agent2_sid=
  stop_session "$qemu_sid" "qemu platform"
  qemu_sid=
  rm -rf "$(vm_control_root "$work/qemu/node-agent")" "$(vm_control_root "$work/qemu-nosnap")"
}

# RSS/PSS of one idle VM of each kind: booted by an agent, restored by an agent (both left from
# the last cold-start round), booted by hand and restored by hand; 2 s after they answered.
qemu_memory() { # gateway a1 a2 digest
  local rel=$work/mem-release f1=$work/mem-boot f2=$work/mem-restore j1 j2
  qemu_by_hand boot "$rel" >"$f1" &
  j1=$!
  for _ in $(seq 1 1200); do [ -s "$f1" ] && break; nap 0.1; done
  qemu_by_hand restore "$rel" >"$f2" &
  j2=$!
  for _ in $(seq 1 1200); do [ -s "$f2" ] && break; nap 0.1; done
  kill_instances "$3" qc
  call "$3/v1/functions/qc/invoke" "$4" >/dev/null || die "booting a qc VM on the second agent"
  kill_instances "$2" qc
  call "$2/v1/functions/qc/invoke" "$4" >/dev/null || die "restoring a qc VM on the first agent"
  sleep 2
  printf 'qemu VM, booted by hand (floor)\t%s\n' "$(mem_kib "$(awk '{print $3}' "$f1")" | tr ' ' '\t')" >>"$raw/mem-instances.tsv"
  printf 'qemu VM, restored by hand\t%s\n' "$(mem_kib "$(awk '{print $3}' "$f2")" | tr ' ' '\t')" >>"$raw/mem-instances.tsv"
  printf 'qemu VM, booted by the agent\t%s\n' "$(mem_kib "$(instance_rows "$3" qc | field pid | head -1)" | tr ' ' '\t')" >>"$raw/mem-instances.tsv"
  printf 'qemu VM, restored by the agent\t%s\n' "$(mem_kib "$(instance_rows "$2" qc | field pid | head -1)" | tr ' ' '\t')" >>"$raw/mem-instances.tsv"
  touch "$rel"
  wait "$j1" "$j2" 2>/dev/null || true
  rm -f "$rel"
  kill_instances "$2" qc
  kill_instances "$3" qc
}

# The control directory root a qemu agent keeps under /tmp: "skiff-vm-" and the Java hashCode of
# its data dir in hex (QemuDriver.controlRoot). Only that agent uses it: removed once it stopped.
vm_control_root() { # absolute data dir
  local s=$1 h=0 i c
  for ((i = 0; i < ${#s}; i++)); do
    printf -v c '%d' "'${s:i:1}"
    h=$(( (h * 31 + c) & 0xffffffff ))
  done
  printf '/tmp/skiff-vm-%x\n' "$h"
}
