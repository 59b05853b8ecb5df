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
# Every function of the runtime boots these same files; its code is a second initramfs archive
# the node agent appends per version. Idempotent: does nothing when the outputs are newer than
# this script and images/guest/. Runtimes: exec (the only one: no JVM in the guest yet).
# Needs: busybox-static linux-image-cloud-amd64 cpio, and lz4 for vmlinux (apt-get install -y ...).
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
# virtio_balloon reports free guest pages so that the host can take them back (free page reporting)
wanted=(virtio_mmio virtio_net virtio_balloon)

up_to_date() { # dir
  [ -s "$1/vmlinuz" ] && [ -s "$1/base.cpio.gz" ] && { [ -s "$1/vmlinux" ] || ! vmlinux_tools; } && [ "$(cat "$1/kernel-release" 2>/dev/null)" = "$release" ] \
    && [ -z "$(find "${BASH_SOURCE[0]}" "$here/guest" -newer "$1/base.cpio.gz" -print -quit)" ]
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
    *) echo "build-base-image: unknown runtime '$runtime' (exec)" >&2; exit 2 ;;
  esac
  if up_to_date "$out"; then
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
  mknod -m 600 "$stage/root/dev/console" c 5 1 2>/dev/null || true
  mkdir -p "$out"
  (cd "$stage/root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -9 >"$stage/base.cpio.gz"
  cp "$kernel" "$stage/vmlinuz"
  chmod 0644 "$stage/vmlinuz" "$stage/base.cpio.gz"
  echo "$release" >"$stage/kernel-release"
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
  echo "build-base-image: built $out (kernel $release, $(du -k "$out/base.cpio.gz" | cut -f1) KiB root)"
}

for r in "${runtimes[@]}"; do build "$r"; done
