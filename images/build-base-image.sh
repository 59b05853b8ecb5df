#!/usr/bin/env bash
# Builds Skiff's immutable VM base images from Debian packages only, one per runtime, into
# images/out/<runtime>/ (or $SKIFF_IMAGE_OUT/<runtime>/):
#   vmlinuz         the kernel of linux-image-cloud-amd64, copied from /boot (a compressed bzImage: QEMU)
#   vmlinux         the same kernel uncompressed, an ELF image (Firecracker boots only these on x86-64);
#                   left out, with a warning, when the tool its compression needs is missing (lz4
#                   for Debian's kernels)
#   base.cpio.gz    the root: busybox-static, the virtio-mmio, virtio-net and virtio-balloon modules of
#                   that kernel (loaded by /init in lib/modules/order), /init and the exec watchdog
#                   from images/guest/
#   kernel-release  the guest kernel's `uname -r`
#   runtime.img     (java only) a read-only ext4 drive: a jlink'ed Java runtime from the host's
#                   openjdk-17-jdk-headless (server modules, class-data sharing archive included) and
#                   the runtime glue jar; the root archive then also holds the C libraries it needs
# Every function of the runtime boots these same files (QEMU opens the drive read-only); its code
# is a second initramfs archive the node agent appends per version. Idempotent: does nothing when
# the outputs are newer than their inputs. Runtimes: exec (default), java.
# Needs: busybox-static linux-image-cloud-amd64 cpio, and lz4 for vmlinux (apt-get install -y ...); java also needs
# openjdk-17-jdk-headless and e2fsprogs, and the glue jar (./mvnw package; or SKIFF_GLUE_JAR=...).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out_root=${SKIFF_IMAGE_OUT:-$here/out}
runtimes=("${@:-exec}")

missing=()
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 || missing+=(busybox-static)
kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1 || true)
[ -n "$kernel" ] || missing+=(linux-image-cloud-amd64)
command -v cpio >/dev/null || missing+=(cpio)
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-base-image: missing Debian packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 2
fi
release=${kernel#/boot/vmlinuz-}
modules=/lib/modules/$release
# virtio_mmio finds microvm's devices (through ACPI), virtio_net drives its network card,
# virtio_balloon reports free guest pages so that the host can take them back (free page reporting);
# java adds virtio_blk for its runtime drive
wanted=(virtio_mmio virtio_net virtio_balloon)
jdk=${SKIFF_GUEST_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
glue=${SKIFF_GLUE_JAR:-$(ls "$here"/../runtime-glue/target/runtime-glue-*.jar 2>/dev/null | head -1 || true)}
# what a function's code may use beyond the glue's own needs (java.base, java.net.http, jdk.httpserver)
java_modules=java.base,java.logging,java.net.http,java.sql,java.naming,java.xml,java.management,java.instrument,jdk.httpserver,jdk.crypto.ec,jdk.unsupported,jdk.zipfs

inputs() { # runtime: the files its image is made from
  echo "${BASH_SOURCE[0]}"; echo "$here/guest"
  [ "$1" != java ] || echo "$glue"
}
up_to_date() { # runtime dir
  [ -s "$2/vmlinuz" ] && [ -s "$2/base.cpio.gz" ] && { [ -s "$2/vmlinux" ] || ! vmlinux_tools; } \
    && [ "$(cat "$2/kernel-release" 2>/dev/null)" = "$release" ] \
    && { [ "$1" != java ] || [ -s "$2/runtime.img" ]; } \
    && [ -z "$(find $(inputs "$1") -newer "$2/base.cpio.gz" -print -quit)" ]
}

# the C libraries (and the loader) the programs under a directory link to, from the host
c_libraries() { # dir
  find "$1" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u
}

# The kernel's compressed payload formats (magic bytes in hex, the command that decompresses them),
# as the kernel's own scripts/extract-vmlinux tries them.
formats=("1f8b08:gzip -dc" "fd377a585a00:xz -dc" "28b52ffd:zstd -dc" "02214c18:lz4 -dc" "425a68:bzip2 -dc"
  "5d000000:xz -dc --format=lzma")

vmlinux_tools() { # whether the decompressor of the kernel's payload is installed
  local f
  for f in "${formats[@]}"; do
    od -An -v -tx1 "$kernel" | tr -d ' \n' | grep -q "${f%%:*}" && command -v "$(echo "${f#*:}" | cut -d' ' -f1)" >/dev/null && return 0
  done
  return 1
}

# Writes the ELF image inside a bzImage to $2, as scripts/extract-vmlinux does: finds each
# compressed payload by its magic, decompresses from there, keeps the first result that is ELF.
extract_vmlinux() { # bzImage out
  local f magic tool pos hex
  hex=$(od -An -v -tx1 "$1" | tr -d ' \n')
  for f in "${formats[@]}"; do
    magic=${f%%:*} tool=${f#*:}
    command -v "${tool%% *}" >/dev/null || continue
    for pos in $(grep -ob "$magic" <<<"$hex" | cut -d: -f1); do
      [ $((pos % 2)) = 0 ] || continue
      tail -c +$((pos / 2 + 1)) "$1" | $tool >"$2" 2>/dev/null || true
      [ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && return 0
    done
  done
  rm -f "$2"
  return 1
}

# the .ko files of the wanted modules and everything they depend on, dependencies first
module_files() {
  local m dep
  for m in "${wanted[@]}"; do
    dep=$(awk -v m="/$m.ko:" 'index($0, m) { sub(/:/, ""); for (i = NF; i >= 1; i--) print $i }' "$modules/modules.dep" | head -20)
    [ -n "$dep" ] || { echo "build-base-image: module $m not in $modules" >&2; exit 2; }
    printf '%s\n' "$dep"
  done | awk '!seen[$0]++'
}

build() { # runtime
  local runtime=$1 out=$out_root/$1 stage
  case $runtime in
    exec) ;;
    java)
      [ -x "$jdk/bin/jlink" ] && [ -d "$jdk/jmods" ] || { echo "build-base-image: java needs a JDK with jmods at $jdk (apt-get install -y openjdk-17-jdk-headless)" >&2; exit 2; }
      command -v mke2fs >/dev/null || { echo "build-base-image: java needs mke2fs (apt-get install -y e2fsprogs)" >&2; exit 2; }
      [ -n "$glue" ] && [ -s "$glue" ] || { echo "build-base-image: java needs the runtime glue jar (./mvnw package, or SKIFF_GLUE_JAR=...)" >&2; exit 2; }
      wanted+=(virtio_blk) ;;
    *) echo "build-base-image: unknown runtime '$runtime' (exec, java)" >&2; exit 2 ;;
  esac
  if up_to_date "$runtime" "$out"; then
    echo "build-base-image: $out is up to date"
    return
  fi
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' RETURN
  mkdir -p "$stage"/root/{bin,dev,proc,sys,tmp,code,lib/modules,skiff/function}
  cp /bin/busybox "$stage/root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$stage/root/bin/$applet"
  done
  while read -r ko; do
    local name
    name=$(basename "$ko")
    echo "${name%.xz}" >>"$stage/root/lib/modules/order"
    case $name in
      *.ko) cp "$modules/$ko" "$stage/root/lib/modules/$name" ;;
      *.ko.xz) xz -dc "$modules/$ko" >"$stage/root/lib/modules/${name%.xz}" ;;
      *) echo "build-base-image: cannot unpack module $ko" >&2; exit 2 ;;
    esac
  done < <(module_files)
  install -m 0755 "$here/guest/init" "$stage/root/init"
  install -m 0755 "$here/guest/watchdog" "$stage/root/skiff/watchdog"
  echo "$runtime" >"$stage/root/skiff/runtime"
  if [ "$runtime" = java ]; then
    mkdir -p "$stage/disk/skiff" "$stage/root/opt/java"
    "$jdk/bin/jlink" --add-modules "$java_modules" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --generate-cds-archive --output "$stage/disk/jre" >/dev/null
    cp "$glue" "$stage/disk/skiff/runtime-glue.jar"
    while read -r lib; do
      mkdir -p "$stage/root$(dirname "$lib")"
      cp -L "$lib" "$stage/root$lib"
    done < <(c_libraries "$stage/disk/jre")
    # an ext4 drive made from a directory, no mount needed; sized to its content plus room for metadata
    mke2fs -q -t ext4 -O ^has_journal -m 0 -L skiff-java -E root_owner=0:0 -d "$stage/disk" \
      "$stage/runtime.img" "$(( $(du -sk "$stage/disk" | cut -f1) * 5 / 4 + 8192 ))k" >/dev/null
  fi
  mknod -m 600 "$stage/root/dev/console" c 5 1 2>/dev/null || true
  mkdir -p "$out"
  (cd "$stage/root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -9 >"$stage/base.cpio.gz"
  cp "$kernel" "$stage/vmlinuz"
  chmod 0644 "$stage/vmlinuz" "$stage/base.cpio.gz"
  echo "$release" >"$stage/kernel-release"
  if [ -f "$stage/runtime.img" ]; then chmod 0444 "$stage/runtime.img"; mv -f "$stage/runtime.img" "$out/runtime.img"; fi
  if extract_vmlinux "$kernel" "$stage/vmlinux"; then
    chmod 0644 "$stage/vmlinux"
    mv -f "$stage/vmlinux" "$out/vmlinux"
  else
    rm -f "$out/vmlinux"
    echo "build-base-image: no vmlinux (Firecracker's kernel): cannot decompress $kernel; install lz4 (or the tool of its compression)" >&2
  fi
  mv -f "$stage/vmlinuz" "$out/vmlinuz"
  mv -f "$stage/kernel-release" "$out/kernel-release"
  mv -f "$stage/base.cpio.gz" "$out/base.cpio.gz"   # last: its time stamp says the image is complete
  echo "build-base-image: built $out (kernel $release, $(du -k "$out/base.cpio.gz" | cut -f1) KiB root$([ ! -f "$out/runtime.img" ] || echo ", $(du -k "$out/runtime.img" | cut -f1) KiB runtime drive"))"
}

for r in "${runtimes[@]}"; do build "$r"; done
