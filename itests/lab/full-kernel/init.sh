#!/bin/bash
# /init of the full-kernel lab guest (built by build-full-kernel.sh): loads the modules, builds the lab's
# namespaces (layout in itests/lab/README.md, "The full-kernel lab"), starts dropbear on port 22 and prints
# WIDECLOUD-FULL-LAB-UP on the console.
# iproute2 is always called by full path: busybox's own "ip" applet knows no netns and no ip6 tunnels.
/bin/busybox --install -s /bin
# The real iproute2 wins over busybox's applets for anyone who looks "ip" up in PATH (bash does, ash may not).
ln -sf /usr/sbin/ip /bin/ip
ln -sf /usr/sbin/bridge /bin/bridge
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
IP=/usr/sbin/ip
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=755 run /run
mount -t tmpfs tmp /tmp
exec </dev/console >/dev/console 2>&1
while read -r m; do
    insmod "/lib/modules/$m.ko" || echo "full-kernel-lab: insmod $m failed"
done </lib/modules/order

sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
$IP link set lo up
# The only link to the host: QEMU's user network (restrict=on), which forwards 127.0.0.1:PORT to port 22.
$IP link set eth0 up
$IP addr add 10.0.2.15/24 dev eth0

ns() {
    local n=$1
    $IP netns add "$n"
    $IP -n "$n" link set lo up
    # No duplicate-address detection anywhere: a moved veth would stall IPv6 ~2 s (STACK.md).
    $IP netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
        net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}
# veth NS-A DEV-A NS-B DEV-B, both ends up
veth() {
    $IP -n "$1" link add "$2" type veth peer name "$4" netns "$3"
    $IP -n "$1" link set "$2" up
    $IP -n "$3" link set "$4" up
}
for n in core ha site-a site-b client; do ns "$n"; done
# Routers: core routes between the others; ha and the sites forward too (home agent and mobile routers).
for n in core ha site-a site-b; do
    $IP netns exec "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done

# name           core side    v4 net       v6 net
LINKS="ha:to-ha:10.0.10:fd00:a site-a:to-site-a:10.0.1:fd00:1 site-b:to-site-b:10.0.2:fd00:2 client:to-client:10.0.9:fd00:9"
for l in $LINKS; do
    IFS=: read -r n dev v4 v6a v6b <<<"$l"
    v6=$v6a:$v6b
    veth core "$dev" "$n" eth0
    $IP -n core addr add "$v4.1/24" dev "$dev"
    $IP -n core addr add "$v6::1/64" dev "$dev" nodad
    $IP -n "$n" addr add "$v4.2/24" dev eth0
    $IP -n "$n" addr add "$v6::2/64" dev eth0 nodad
    $IP -n "$n" route add default via "$v4.1"
    $IP -n "$n" -6 route add default via "$v6::1"
done
# The home agent's second address: ip6ip6 and ipip6 tunnels cannot share one local+remote pair.
$IP -n ha addr add fd00:a::3/64 dev eth0 nodad

# The VLAN trunk: an untagged, non-filtering bridge in core, so 802.1Q frames pass between the sites and the
# client as they are; sub-interfaces eth1.<vid> are made on the ends by whoever uses a VLAN.
$IP -n core link add trunk type bridge
$IP -n core link set trunk up
for n in site-a site-b client; do
    veth core "tr-$n" "$n" eth1
    $IP -n core link set "tr-$n" master trunk
done

dropbear -r /etc/dropbear/host_ecdsa -p 22 -s -j -k -P /run/dropbear.pid || echo "full-kernel-lab: dropbear failed"
echo "WIDECLOUD-FULL-LAB-UP $(cat /proc/uptime | cut -d' ' -f1)s"
while :; do sleep 3600; done
