#!/bin/bash
# widecloud's full-kernel lab: a QEMU (TCG) guest running Debian's full kernel, for the data planes this
# machine's kernel cannot run (ip6ip6/ipip6 tunnels for NEMO, 802.1Q for VLAN). Inside it, network namespaces
# core (router), ha, site-a, site-b and client, and a VLAN trunk; widecloud drives it over SSH (dropbear in the
# guest, a key made by the build). Layout and addresses: itests/lab/README.md, "The full-kernel lab".
#
# Usage (as root):  full-kernel-lab.sh up | down | status | ssh-uri
#   up       builds the guest when missing (build-full-kernel.sh), boots it, waits until SSH answers and prints
#            the executor URI (ssh://root@127.0.0.1:PORT); a running lab is reused when it was booted from the
#            current build (else it is restarted)
#   down     kills QEMU by its pid file and removes the run-time files (the build is kept)
#   status   exit 0 and the URI when the lab runs and answers over SSH
#   ssh-uri  prints the executor URI (whether or not the lab runs)
# Environment: WIDECLOUD_LAB_DIR (default /var/tmp/widecloud-lab), WIDECLOUD_FULL_LAB_PORT (default 10022; the
# host end of QEMU's forward to the guest's port 22, on 127.0.0.1 only), WIDECLOUD_FULL_LAB_MEM (MiB, 384).
# Files: $LAB/full-kernel/ (build: kernel, initramfs, id_ecdsa = root's key, known_hosts for the port),
# $LAB/full-kernel-run/ (qemu.pid, console.log). up and down take $LAB/.full-kernel.lock.
# Networking: QEMU's user network with restrict=on and one host forward, 127.0.0.1:PORT -> guest:22; the guest
# reaches nothing outside itself.
set -euo pipefail

LAB=${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}
PORT=${WIDECLOUD_FULL_LAB_PORT:-10022}
MEM=${WIDECLOUD_FULL_LAB_MEM:-384}
BUILD=$LAB/full-kernel
RUN=$LAB/full-kernel-run
HERE=$(cd "$(dirname "$0")" && pwd)
URI="ssh://root@127.0.0.1:$PORT"

die() { echo "full-kernel-lab: $*" >&2; exit 1; }
say() { echo "full-kernel-lab: $*" >&2; }

qemu_pid() {
    local f=$RUN/qemu.pid
    [[ -s $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

ssh_ok() {
    ssh -q -i "$BUILD/id_ecdsa" -p "$PORT" -o BatchMode=yes -o ConnectTimeout=3 -o IdentitiesOnly=yes \
        -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$BUILD/known_hosts" -o GlobalKnownHostsFile=/dev/null \
        root@127.0.0.1 true </dev/null 2>/dev/null
}

port_busy() {
    # Another program on the port would take our SSH connections: refuse rather than talk to it.
    ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .
}

up() {
    [[ $(id -u) == 0 ]] || die "must run as root (builds an initramfs with device nodes; apt-get)"
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
    command -v ssh >/dev/null || die "ssh is missing (apt-get install openssh-client)"
    if [[ -n $(qemu_pid) ]]; then
        if "$HERE/build-full-kernel.sh" --check && cmp -s "$BUILD/.built" "$RUN/booted"; then
            ssh_ok || wait_ssh 60 || die "QEMU runs (pid $(qemu_pid)) but SSH does not answer; see $RUN/console.log"
            echo "$URI"
            return
        fi
        say "the running lab was booted from an older build: restarting it"
        down
    fi
    "$HERE/build-full-kernel.sh"
    port_busy && die "127.0.0.1:$PORT is in use by another program (set WIDECLOUD_FULL_LAB_PORT)"
    rm -rf "$RUN" && mkdir -p "$RUN"
    echo "[127.0.0.1]:$PORT $(cat "$BUILD/host_ecdsa.pub")" > "$BUILD/known_hosts"
    cp "$BUILD/.built" "$RUN/booted"
    local t0=$SECONDS
    qemu-system-x86_64 -name widecloud-full-kernel-lab -machine q35 -accel tcg,tb-size=128 -cpu max -smp 1 -m "$MEM" \
        -nodefaults -no-user-config -display none -no-reboot \
        -kernel "$BUILD/vmlinuz" -initrd "$BUILD/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
        -serial "file:$RUN/console.log" \
        -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:22" -device virtio-net-pci,netdev=n0 \
        -pidfile "$RUN/qemu.pid" -daemonize 9>&-   # QEMU must not inherit the lock
    wait_ssh 90 || { tail -n 30 "$RUN/console.log" >&2; die "the guest did not answer on SSH within 90 s"; }
    say "up in $((SECONDS - t0)) s ($(grep -ao 'WIDECLOUD-FULL-LAB-UP.*' "$RUN/console.log" | head -n1))"
    echo "$URI"
}

wait_ssh() {
    local limit=$1 i
    for ((i = 0; i < limit * 5; i++)); do
        [[ -n $(qemu_pid) ]] || return 1
        if grep -aq WIDECLOUD-FULL-LAB-UP "$RUN/console.log" 2>/dev/null && ssh_ok; then return 0; fi
        sleep 0.2
    done
    return 1
}

down() {
    local pid
    pid=$(qemu_pid || true)
    if [[ -n $pid ]]; then
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        say "stopped QEMU (pid $pid)"
    fi
    rm -rf "$RUN"
}

status() {
    local pid
    pid=$(qemu_pid || true)
    [[ -n $pid ]] || { say "not running"; return 1; }
    ssh_ok || { say "QEMU runs (pid $pid), SSH does not answer"; return 1; }
    say "running (QEMU pid $pid), SSH answers"
    echo "$URI"
}

locked() {
    mkdir -p "$LAB"
    exec 9>"$LAB/.full-kernel.lock"
    flock 9
    "$@"
}

case ${1:-} in
    up) locked up ;;
    down) locked down ;;
    status) status ;;
    ssh-uri) echo "$URI" ;;
    *) die "usage: full-kernel-lab.sh up | down | status | ssh-uri" ;;
esac
