#!/bin/bash
# Builds widecloud's tiny lab guest: Debian's kernel (linux-image-amd64) and a busybox-static initramfs,
# booted directly by QEMU/libvirt (<os><kernel>/<initrd>/<cmdline>). About 4 s from start to the marker
# line under TCG with 128 MiB.
#
# Usage: build-guest.sh [OUTDIR]
#   OUTDIR defaults to ${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}/guest. Outputs OUTDIR/vmlinuz and
#   OUTDIR/initrd.gz. A finished build is reused (stamp OUTDIR/.built holds this script's checksum);
#   set WIDECLOUD_GUEST_REBUILD=1 to force a rebuild. Needs apt (downloads from the configured Debian
#   mirror only), dpkg, cpio, gzip and busybox-static; installs the last two with apt-get when run as root.
#
# Kernel command line understood by the guest (besides the kernel's own, e.g. console=ttyS0):
#   wc.name=NAME     hostname, shown in the marker line (default: widecloud-guest)
#   wc.ip=A.B.C.D/N  IPv4 address of eth0            wc.gw=A.B.C.D   IPv4 default gateway
#   wc.ip6=ADDR/N    IPv6 address of eth0 (no DAD)     wc.gw6=ADDR     IPv6 default gateway
# Without wc.ip/wc.ip6, eth0 (if any) is only brought up.
#
# What the guest does: loads the virtio modules (the Debian kernel has virtio as modules and the package
# has no usable modules.dep for busybox, so the order matters: virtio_ring virtio virtio_pci_legacy_dev
# virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk), configures eth0, starts
# busybox httpd on port 80 (serves /www/index.html with the guest's name) and a UDP echo on port 7 (IPv4
# and IPv6; /bin/udpecho, a static C program compiled here with gcc, since busybox's nc cannot listen on UDP),
# powers off when the ACPI power button is pressed (so libvirt's graceful shutdown works), then prints on the
# console:
#   WIDECLOUD-GUEST-UP name=NAME ip=... ip6=...
set -euo pipefail

out=${1:-${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}/guest}
self_sum=$(sha256sum "$0" | cut -d' ' -f1)

if [[ -f $out/.built && -f $out/vmlinuz && -f $out/initrd.gz && "$(cat "$out/.built")" == "$self_sum" \
      && -z ${WIDECLOUD_GUEST_REBUILD:-} ]]; then
    echo "guest already built in $out"
    exit 0
fi

need_pkgs=()
command -v cpio >/dev/null || need_pkgs+=(cpio)
[[ -x /bin/busybox ]] && /bin/busybox --list | grep -qx httpd || need_pkgs+=(busybox-static)
command -v gcc >/dev/null || need_pkgs+=(gcc)
[[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || need_pkgs+=(libc6-dev)
if ((${#need_pkgs[@]})); then
    if [[ $(id -u) == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null
    else
        echo "missing: ${need_pkgs[*]}; run as root or: apt-get install -y ${need_pkgs[*]}" >&2
        exit 1
    fi
fi
# ldd fails on a static binary: busybox must be one, it is the initramfs's only program.
if ldd /bin/busybox >/dev/null 2>&1; then
    echo "/bin/busybox is dynamically linked; install busybox-static" >&2
    exit 1
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The metapackage names the current kernel package; download and unpack that one.
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[[ -n $kpkg ]] || { echo "cannot resolve linux-image-amd64 (apt-get update?)" >&2; exit 1; }
(cd "$work" && apt-get download "$kpkg" >/dev/null 2>&1) \
    || (cd "$work" && apt-get update >/dev/null && apt-get download "$kpkg" >/dev/null)
dpkg -x "$work"/"$kpkg"_*.deb "$work/k"
kver=${kpkg#linux-image-}
moddir="$work/k/lib/modules/$kver/kernel"
cp "$work/k/boot/vmlinuz-$kver" "$work/vmlinuz"

root="$work/root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,www,lib/modules,usr/bin,usr/sbin}
cp /bin/busybox "$root/bin/busybox"
if [[ $(id -u) == 0 ]]; then
    mknod -m 600 "$root/dev/console" c 5 1
fi

modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover
         virtio_net virtio_blk button evdev)
for m in "${modules[@]}"; do
    f=$(find "$moddir" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
    [[ -n $f ]] || { echo "module $m not found in $kpkg" >&2; exit 1; }
    case $f in
        *.xz) xz -dc "$f" > "$root/lib/modules/$m.ko" ;;
        *) cp "$f" "$root/lib/modules/$m.ko" ;;
    esac
done
printf '%s\n' "${modules[@]}" > "$root/lib/modules/order"

# The UDP responder: echoes every datagram to its sender, on one dual-stack socket.
cat > "$work/udpecho.c" <<'C'
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 7, off = 0;
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {0};
    if (s < 0) { perror("udpecho: socket"); return 1; }
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons((unsigned short) port);
    a.sin6_addr = in6addr_any;
    if (bind(s, (struct sockaddr *) &a, sizeof a) < 0) { perror("udpecho: bind"); return 1; }
    for (;;) {
        char buf[2048];
        struct sockaddr_in6 from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *) &from, &len);
        if (n >= 0) sendto(s, buf, (size_t) n, 0, (struct sockaddr *) &from, len);
    }
}
C
gcc -static -Os -s -o "$root/bin/udpecho" "$work/udpecho.c"

cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null || echo "widecloud-guest: insmod $m failed"; done \
    < /lib/modules/order

name=widecloud-guest ip4= gw4= ip6= gw6=
for arg in $(cat /proc/cmdline); do
    case $arg in
        wc.name=*) name=${arg#wc.name=} ;;
        wc.ip=*) ip4=${arg#wc.ip=} ;;
        wc.gw=*) gw4=${arg#wc.gw=} ;;
        wc.ip6=*) ip6=${arg#wc.ip6=} ;;
        wc.gw6=*) gw6=${arg#wc.gw6=} ;;
    esac
done
hostname "$name"
ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
    echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_dad 2>/dev/null
    ip link set eth0 up
    [ -n "$ip4" ] && ip addr add "$ip4" dev eth0
    [ -n "$gw4" ] && ip route add default via "$gw4"
    # busybox's ip knows no "nodad"; accept_dad=0 above has the same effect.
    [ -n "$ip6" ] && ip -6 addr add "$ip6" dev eth0
    [ -n "$gw6" ] && ip -6 route add default via "$gw6"
fi
echo "widecloud guest $name" > /www/index.html
httpd -p 80 -h /www
/bin/udpecho 7 &

# Graceful shutdown: libvirt presses the ACPI power button; power off on the first event from it.
for ev in /sys/class/input/event*; do
    [ "$(cat "$ev/device/name" 2>/dev/null)" = "Power Button" ] || continue
    dev=/dev/input/${ev##*/}
    # Opened here, before the ready line: a press right after it must not come before anyone reads the device.
    exec 3<"$dev"
    (dd bs=24 count=1 <&3 >/dev/null 2>&1; echo "widecloud-guest: power button, powering off"; sync;
     poweroff -f) &
done

echo "WIDECLOUD-GUEST-UP name=$name ip=${ip4:-none} ip6=${ip6:-none}"
while :; do sleep 3600; done
INIT
chmod 755 "$root/init"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$work/initrd.gz"
mv -f "$work/vmlinuz" "$out/vmlinuz"
mv -f "$work/initrd.gz" "$out/initrd.gz"
echo "$kpkg" > "$out/kernel-package"
echo "$self_sum" > "$out/.built"
echo "guest built in $out: vmlinuz ($kpkg), initrd.gz ($(du -h "$out/initrd.gz" | cut -f1))"
