#!/bin/bash
# widecloud's two-site lab on one Linux machine: two "sites" with one libvirtd each, a routed core between
# them and a client, all in network namespaces, so that a VM can be live-migrated from one site's subnet to
# the other's and the service gap measured. Lab traffic stays inside these namespaces (and loopback); the
# machine's own libvirtd (qemu:///system) is not touched.
#
# Usage (as root):  two-site-lab.sh up [--stretch] | down | status | stretch on|off | uris
#   up        builds what is missing (idempotent) and prints the two libvirt URIs; --stretch also does
#             "stretch on"
#   down      kills the lab's processes by pid (libvirtds from their pid files, then whatever still runs in
#             the namespaces: QEMU), removes the namespaces, the root namespace's veth and routes, and the
#             state directory's run-time files (the built guest in guest/ is kept)
#   status    what runs, exit 0 when both libvirtds answer
#   stretch   on: joins the two br0 bridges by a static VXLAN (VNI 4242, device vxlab, over the core), so
#             lab-net is one L2 segment at both sites and a migrated guest keeps its address without a
#             mobility backend (driver-level tests use it); off removes it. Leave it off when widecloud's
#             VXLAN mobility backend manages lab-net's bridge (two tunnels between the same bridges loop).
#   uris      prints the two libvirt URIs
# up, down and stretch take a lock ($LAB/.script.lock): concurrent callers wait for each other. Tests that
# use the lab hold $LAB/.test.lock for their whole run (KvmMigrationLabTest).
# State: ${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}/{site-a,site-b}/ (libvirt's private directories,
# config, pid and log files).
#
# Layout (IPv4 and IPv6 everywhere; addresses are fixed, see the table in itests/lab/README.md):
#
#   root ns  wclab0 10.0.0.1 ---- core 10.0.0.2     (routes to 10.0.1.0/24, 10.0.2.0/24, fd00:1::/64,
#                                                    fd00:2::/64 via core: the controller reaches both sites)
#   core     routes between site-a 10.0.1.0/24 (host 10.0.1.2), site-b 10.0.2.0/24 (host 10.0.2.2) and
#            client 10.0.9.0/24 (10.0.9.2); lab-net 10.10.0.0/24 + fd00:10::/64 is routed to site A
#   site-X   eth0 = the host's underlay address; br0 = the bridge for guest NICs. site-a's br0 carries
#            lab-net's gateway 10.10.0.1 / fd00:10::1 (lab-net's home is site A); site-b's br0 has no address
#   client   hangs off the core, not off a site: a user elsewhere, equally far from both sites, so the
#            measured gap is the migration's and not a site-local shortcut's
#
# Each libvirtd runs as `ip netns exec site-X unshare --uts sh -c '<bind mounts>; hostname site-X; exec
# libvirtd -d --listen -p PIDFILE'`: the bind mounts (private /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt, /var/log/libvirt, /etc/libvirt and /etc/hosts) live only in that daemon's mount
# namespace (ip netns exec makes one) and vanish with it. libvirtd.conf: TCP on the site address without
# authentication (lab only!), its own host_uuid; qemu.conf: security_driver "none", namespaces [],
# stdio_handler "file", migration_address/migration_host = site address. The QEMU capability cache is seeded
# from the machine's libvirtd when it has one (saves ~4 s per daemon start).
set -euo pipefail

LAB=${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}
SITES=(site-a site-b)
NETNS=(core site-a site-b client)
declare -A NUM=([site-a]=1 [site-b]=2)
declare -A UUID=([site-a]=00000000-0000-4000-8000-00000000a001 [site-b]=00000000-0000-4000-8000-00000000b002)
VNI=4242

die() { echo "two-site-lab: $*" >&2; exit 1; }
say() { echo "two-site-lab: $*" >&2; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
addr() { echo "10.0.${NUM[$1]}.2"; }
uri() { echo "qemu+tcp://$(addr "$1")/system"; }
has_ns() { [[ -e /run/netns/$1 ]]; }
has_link() { local ns=$1 dev=$2; if [[ $ns == root ]]; then ip link show "$dev" >/dev/null 2>&1;
    else ip -n "$ns" link show "$dev" >/dev/null 2>&1; fi; }
pid_of() { local f=$LAB/$1/libvirtd.pid; [[ -s $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

require_root() {
    [[ $(id -u) == 0 ]] || die "must run as root (network namespaces, libvirtd)"
    command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || die "'ip netns' is not available (iproute2)"
    command -v libvirtd >/dev/null || die "libvirtd is missing (apt-get install libvirt-daemon-system)"
}

ns_setup() {
    local ns=$1
    has_ns "$ns" || ip netns add "$ns"
    nsx "$ns" ip link set lo up
    # No duplicate-address detection (a moved address would stall ~2 s); forwarding only where routing happens.
    for k in net.ipv6.conf.all.accept_dad net.ipv6.conf.default.accept_dad; do nsx "$ns" sysctl -qw "$k=0"; done
    nsx "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# veth NSA:DEVA <-> NSB:DEVB (NS "root" = the root namespace), created once.
veth() {
    local nsa=$1 deva=$2 nsb=$3 devb=$4 tmp="wct$RANDOM"
    has_link "$nsa" "$deva" && return 0
    ip link add "$tmp" type veth peer name "${tmp}p"
    if [[ $nsa == root ]]; then ip link set "$tmp" name "$deva"; else ip link set "$tmp" netns "$nsa" name "$deva"; fi
    ip link set "${tmp}p" netns "$nsb" name "$devb"
}

# Address (replace: idempotent) and up.
ifup() {
    local ns=$1 dev=$2; shift 2
    local ipc=(ip); [[ $ns == root ]] || ipc=(ip -n "$ns")
    for a in "$@"; do
        case $a in *:*) "${ipc[@]}" -6 addr replace "$a" dev "$dev" nodad ;; *) "${ipc[@]}" addr replace "$a" dev "$dev" ;; esac
    done
    "${ipc[@]}" link set "$dev" up
}

network_up() {
    for ns in "${NETNS[@]}"; do ns_setup "$ns"; done
    nsx core sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    for s in "${SITES[@]}"; do nsx "$s" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; done

    veth root wclab0 core up0
    ifup root wclab0 10.0.0.1/24 fd00:ff::1/64
    ifup core up0 10.0.0.2/24 fd00:ff::2/64
    for s in "${SITES[@]}"; do
        local n=${NUM[$s]}
        veth core "to-$s" "$s" eth0
        ifup core "to-$s" "10.0.$n.1/24" "fd00:$n::1/64"
        ifup "$s" eth0 "10.0.$n.2/24" "fd00:$n::2/64"
        ip -n "$s" route replace default via "10.0.$n.1"
        ip -n "$s" -6 route replace default via "fd00:$n::1"
        has_link "$s" br0 || ip -n "$s" link add br0 type bridge
        # Forward at once: no STP listening delay for a guest's new tap.
        ip -n "$s" link set br0 type bridge stp_state 0 forward_delay 0
        ip -n "$s" link set br0 up
        # The controller in the root namespace reaches the site hosts through the core.
        ip route replace "10.0.$n.0/24" via 10.0.0.2
        ip -6 route replace "fd00:$n::/64" via fd00:ff::2
    done
    ifup site-a br0 10.10.0.1/24 fd00:10::1/64
    ip -n core route replace 10.10.0.0/24 via 10.0.1.2
    ip -n core -6 route replace fd00:10::/64 via fd00:1::2
    veth core to-client client eth0
    ifup core to-client 10.0.9.1/24 fd00:9::1/64
    ifup client eth0 10.0.9.2/24 fd00:9::2/64
    ip -n client route replace default via 10.0.9.1
    ip -n client -6 route replace default via fd00:9::1
}

write_config() {
    local s=$1 d=$LAB/$1 a
    a=$(addr "$s")
    mkdir -p "$d"/{run,lib,cache,log,etc}
    cat > "$d/etc/libvirtd.conf" <<EOF
# widecloud two-site lab: $s. TCP without authentication: lab only, reachable only inside the lab's namespaces.
listen_tls = 0
listen_tcp = 1
listen_addr = "$a"
auth_tcp = "none"
auth_unix_rw = "none"
host_uuid = "${UUID[$s]}"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
EOF
    cat > "$d/etc/qemu.conf" <<EOF
# widecloud two-site lab: $s
stdio_handler = "file"
security_driver = "none"
namespaces = [ ]
migration_address = "$a"
migration_host = "$a"
EOF
    printf '127.0.0.1 localhost\n::1 localhost\n%s %s\n' "$a" "$s" > "$d/etc/hosts"
    # Seed QEMU's capability cache from the machine's libvirtd (same binaries: the cache stays valid).
    if [[ -d /var/cache/libvirt/qemu/capabilities && ! -d $d/cache/qemu/capabilities ]]; then
        mkdir -p "$d/cache/qemu"
        cp -a /var/cache/libvirt/qemu/capabilities "$d/cache/qemu/" 2>/dev/null || true
    fi
}

daemon_up() {
    local s=$1 d=$LAB/$1
    if pid_of "$s" >/dev/null; then return 0; fi
    write_config "$s"
    rm -f "$d/libvirtd.pid" "$d/run/libvirt-sock"
    # Paths go in as positional parameters, never spliced into the script text.
    ip netns exec "$s" unshare --uts sh -c '
        d=$1 s=$2
        mount --bind "$d/run" /run/libvirt
        mount --bind "$d/lib" /var/lib/libvirt
        mount --bind "$d/cache" /var/cache/libvirt
        mount --bind "$d/log" /var/log/libvirt
        mount --bind "$d/etc" /etc/libvirt
        mount --bind "$d/etc/hosts" /etc/hosts
        hostname "$s"
        exec libvirtd -d --listen -p "$d/libvirtd.pid"' lab-libvirtd "$d" "$s" 9>&-
}

wait_daemon() {
    local s=$1 i
    for i in $(seq 1 300); do
        if virsh -q -c "$(uri "$s")" uri >/dev/null 2>&1; then return 0; fi
        pid_of "$s" >/dev/null || [[ $i -lt 20 ]] || die "libvirtd of $s died; see $LAB/$s/log/libvirtd.log"
        sleep 0.1
    done
    die "libvirtd of $s does not answer on $(uri "$s"); see $LAB/$s/log/libvirtd.log"
}

stretch_on() {
    for s in "${SITES[@]}"; do
        local other=site-b; [[ $s == site-b ]] && other=site-a
        if ! has_link "$s" vxlab; then
            ip -n "$s" link add vxlab type vxlan id "$VNI" local "$(addr "$s")" remote "$(addr "$other")" \
                dstport 4789 nolearning
            ip -n "$s" link set vxlab mtu 1450
            ip -n "$s" link set vxlab master br0
        fi
        ip -n "$s" link set vxlab up
    done
    # Guests' frames must fit into the tunnel: the underlay veths carry 1500 + 50 bytes.
    for dev in to-site-a to-site-b; do ip -n core link set "$dev" mtu 1600; done
    for s in "${SITES[@]}"; do ip -n "$s" link set eth0 mtu 1600; done
}

stretch_off() {
    for s in "${SITES[@]}"; do
        has_ns "$s" && has_link "$s" vxlab && ip -n "$s" link del vxlab
    done
    return 0
}

cmd_up() {
    require_root
    network_up
    for s in "${SITES[@]}"; do daemon_up "$s"; done
    for s in "${SITES[@]}"; do wait_daemon "$s"; done
    [[ ${1:-} == --stretch ]] && stretch_on
    cmd_uris
}

cmd_uris() {
    for s in "${SITES[@]}"; do echo "$s $(uri "$s")"; done
}

cmd_down() {
    require_root
    for s in "${SITES[@]}"; do
        local p
        if p=$(pid_of "$s"); then kill "$p"; fi
    done
    # What is left in the namespaces (QEMU of running guests, a daemon that lost its pid file): by pid.
    for ns in "${NETNS[@]}"; do
        has_ns "$ns" || continue
        local pids
        pids=$(ip netns pids "$ns" || true)
        [[ -n $pids ]] && kill $pids 2>/dev/null || true
    done
    for ns in "${NETNS[@]}"; do
        has_ns "$ns" || continue
        local i
        for i in $(seq 1 50); do [[ -z $(ip netns pids "$ns") ]] && break; sleep 0.1; done
        pids=$(ip netns pids "$ns" || true)
        [[ -n $pids ]] && kill -9 $pids 2>/dev/null || true
        ip netns del "$ns"
    done
    has_link root wclab0 && ip link del wclab0
    for n in 1 2; do
        ip route del "10.0.$n.0/24" via 10.0.0.2 2>/dev/null || true
        ip -6 route del "fd00:$n::/64" via fd00:ff::2 2>/dev/null || true
    done
    for s in "${SITES[@]}"; do rm -rf "${LAB:?}/$s"; done
    say "down"
}

cmd_status() {
    local ok=0
    for ns in "${NETNS[@]}"; do
        if has_ns "$ns"; then echo "netns $ns: present"; else echo "netns $ns: missing"; ok=1; fi
    done
    for s in "${SITES[@]}"; do
        local p
        if p=$(pid_of "$s") && virsh -q -c "$(uri "$s")" uri >/dev/null 2>&1; then
            echo "$s: libvirtd pid $p answers on $(uri "$s") ($(virsh -q -c "$(uri "$s")" list --name | grep -c . || true) running)"
        else
            echo "$s: libvirtd not answering on $(uri "$s")"; ok=1
        fi
    done
    if has_ns site-a && has_link site-a vxlab; then echo "stretch: on (VNI $VNI)"; else echo "stretch: off"; fi
    return $ok
}

# One change at a time: concurrent callers (tests of several modules) wait for each other.
if [[ ${1:-} =~ ^(up|down|stretch)$ && $(id -u) == 0 ]]; then
    mkdir -p "$LAB"
    exec 9>"$LAB/.script.lock"
    flock 9 # the daemons started below must not inherit fd 9 (they would hold the lock for ever): 9>&-
fi

case ${1:-} in
    up) shift; cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    uris) cmd_uris ;;
    stretch)
        require_root
        case ${2:-} in on) stretch_on ;; off) stretch_off ;; *) die "usage: $0 stretch on|off" ;; esac ;;
    *) echo "usage: $0 up [--stretch] | down | status | stretch on|off | uris" >&2; exit 2 ;;
esac
