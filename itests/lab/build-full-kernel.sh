#!/bin/bash
# Builds the full-kernel lab's guest: Debian's full kernel (linux-image-<ver>-amd64, with the modules this
# machine's kernel lacks: ip6_tunnel, ipip, sit, 8021q) and an initramfs with busybox-static, the host's
# iproute2 (ip, bridge) and bash with their libraries, dropbear, and udpgap (a static UDP echo + gap meter
# compiled here). full-kernel-lab.sh boots it; the lab's layout is made by the guest's /init (see
# itests/lab/README.md, "The full-kernel lab").
#
# Usage: build-full-kernel.sh [--check]   (as root: installs what is missing with apt-get; --check: exit 0 when the
#   build is current, builds nothing)
#   Output in ${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}/full-kernel/: vmlinuz, initrd.gz, id_ecdsa(.pub)
#   (the key root logs in with), host_ecdsa.pub (dropbear's host key, for known_hosts), udpgap (also runs on
#   the host). The kernel package is downloaded once into .../kernel/ (apt-get download, dpkg -x) and kept.
#   A finished build is reused (stamp .built = checksum of this script, full-kernel/init.sh and full-kernel/udpgap.c); WIDECLOUD_LAB_REBUILD=1 forces one.
#   Keys survive rebuilds, so known_hosts entries stay valid.
set -euo pipefail

LAB=${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}
out=$LAB/full-kernel
src=$(cd "$(dirname "$0")" && pwd)/full-kernel
self_sum=$(cat "$0" "$src/init.sh" "$src/udpgap.c" | sha256sum | cut -d' ' -f1)
die() { echo "build-full-kernel: $*" >&2; exit 1; }

current() {
    [[ -f $out/.built && "$(cat "$out/.built")" == "$self_sum" && -f $out/initrd.gz && -f $out/vmlinuz
       && -z ${WIDECLOUD_LAB_REBUILD:-} ]]
}
if [[ ${1:-} == --check ]]; then
    current  # exit 0: the build matches this script and its sources
    exit
fi
current && exit 0

# Modules in load order: the kernel package has no modules.dep that busybox insmod could use (STACK.md).
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover
         virtio_net virtio_console tunnel6 ip6_tunnel tunnel4 ip_tunnel ipip sit llc stp garp mrp 8021q bridge veth)
NEED=(cpio:cpio gzip:gzip gcc:gcc dropbear:dropbear-bin dropbearkey:dropbear-bin ssh-keygen:openssh-client)
missing=()
for n in "${NEED[@]}"; do command -v "${n%%:*}" >/dev/null || missing+=("${n#*:}"); done
[[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static)
[[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || missing+=(libc6-dev)
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing: ${missing[*]}; run as root or: apt-get install -y ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is dynamically linked; install busybox-static"

mkdir -p "$out" "$LAB/kernel"
# The same kernel as build-guest.sh: the one linux-image-amd64 depends on, downloaded once and kept unpacked.
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[[ -n $kpkg ]] || die "cannot resolve linux-image-amd64 (apt-get update?)"
kver=${kpkg#linux-image-}
kdir=$LAB/kernel/$kver
if [[ ! -f $kdir/.unpacked ]]; then
    rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
    (cd "$kdir.tmp" && apt-get download "$kpkg" >/dev/null 2>&1) \
        || (cd "$kdir.tmp" && apt-get update -qq && apt-get download "$kpkg" >/dev/null)
    dpkg -x "$kdir.tmp"/"$kpkg"_*.deb "$kdir.tmp/x"
    rm -rf "$kdir" && mkdir -p "$kdir"
    mv "$kdir.tmp/x/boot/vmlinuz-$kver" "$kdir/vmlinuz"
    mv "$kdir.tmp/x/lib/modules/$kver/kernel" "$kdir/modules"
    rm -rf "$kdir.tmp"
    touch "$kdir/.unpacked"
fi

work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,root/.ssh,lib/modules,usr/bin,usr/sbin,var,lab}
ln -s ../run "$root/var/run"
cp /bin/busybox "$root/bin/busybox"
for m in "${MODULES[@]}"; do
    f=$(find "$kdir/modules" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
    [[ -n $f ]] || die "module $m not found in $kpkg"
    case $f in
        *.xz) xz -dc "$f" > "$root/lib/modules/$m.ko" ;;
        *) cp "$f" "$root/lib/modules/$m.ko" ;;
    esac
done
printf '%s\n' "${MODULES[@]}" > "$root/lib/modules/order"

# Dynamic programs from the host with every library ldd names (same Debian release, so they fit).
copy_prog() {
    local p=$1 dst=${2:-$1}
    mkdir -p "$root$(dirname "$dst")"
    cp -L "$p" "$root$dst"
    ldd "$p" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | while read -r lib; do
        [[ -e $root$lib ]] && continue
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
}
copy_prog /usr/sbin/ip
copy_prog /usr/sbin/bridge
copy_prog "$(readlink -f /bin/bash)" /bin/bash
copy_prog "$(readlink -f /bin/dash)" /bin/dash
copy_prog "$(command -v dropbear)" /usr/sbin/dropbear
mkdir -p "$root/lib64" && [[ -e $root/lib64/ld-linux-x86-64.so.2 ]] \
    || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

# udpgap: UDP echo responder and gap meter (busybox nc cannot listen on UDP). Static: runs in the guest and here.
gcc -static -O2 -s -o "$work/udpgap" "$src/udpgap.c"
cp "$work/udpgap" "$root/bin/udpgap"

# Keys: made once, kept across rebuilds. The client key is ECDSA in PEM: MINA SSHD in Karaf has no Ed25519.
[[ -f $out/id_ecdsa ]] || ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C widecloud-full-kernel-lab -f "$out/id_ecdsa"
[[ -f $out/host_ecdsa ]] || dropbearkey -t ecdsa -s 256 -f "$out/host_ecdsa" >/dev/null
dropbearkey -y -f "$out/host_ecdsa" | awk '/^ecdsa-/{print $1, $2}' > "$out/host_ecdsa.pub"
mkdir -p "$root/etc/dropbear"
cp "$out/host_ecdsa" "$root/etc/dropbear/host_ecdsa"
cp "$out/id_ecdsa.pub" "$root/root/.ssh/authorized_keys"
chmod 700 "$root/root" "$root/root/.ssh"
chmod 600 "$root/root/.ssh/authorized_keys" "$root/etc/dropbear/host_ecdsa"
# Root's shell parses each SSH command: dash starts in a few ms under TCG where bash takes ~35, and unlike
# busybox's ash it runs iproute2's ip, not an applet of the same name.
echo 'root:x:0:0:root:/root:/bin/dash' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
printf '/bin/dash\n/bin/bash\n' > "$root/etc/shells"
echo 'hosts: files' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost full-kernel-lab\n::1 localhost\n' > "$root/etc/hosts"
[[ $(id -u) == 0 ]] && mknod -m 600 "$root/dev/console" c 5 1
cp "$src/init.sh" "$root/init"
chmod 755 "$root/init"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6) > "$work/initrd.gz"
cp "$kdir/vmlinuz" "$work/vmlinuz"
cp "$work/udpgap" "$out/udpgap"
mv -f "$work/vmlinuz" "$out/vmlinuz"
mv -f "$work/initrd.gz" "$out/initrd.gz"
echo "$kpkg" > "$out/kernel-package"
echo "$self_sum" > "$out/.built"
echo "build-full-kernel: built in $out ($kpkg, initrd $(du -h "$out/initrd.gz" | cut -f1))" >&2
