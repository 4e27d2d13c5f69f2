#!/usr/bin/env bash
#
# Prepares this machine (Debian 12, run as root) for the whole test suite: installs libvirt, QEMU,
# PostgreSQL and what the tiny test guest is built from; starts virtlogd + libvirtd (there is no
# systemd here) and PostgreSQL. Idempotent: installs only what is missing, starts only what is down.
# Called by "./widecloud test" (and so by .ci/run).
#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# libxml2-utils: virt-xml-validate runs xmllint, which libvirt-clients does not pull in.
# openssh-server: the SSH host executor is tested against a real sshd on loopback.
# dropbear-bin, gcc, libc6-dev: the full-kernel lab's guest (itests/lab/build-full-kernel.sh: SSH server, udpgap).
# tgt, libiscsi-bin, qemu-block-extra: the iSCSI storage backend's target and user-space initiators.
PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils libvirt0 postgresql
    busybox-static cpio libxml2-utils openssh-server dropbear-bin gcc libc6-dev tgt libiscsi-bin qemu-block-extra)

log() { printf 'setup-test-env: %s\n' "$*" >&2; }

[[ $EUID -eq 0 ]] || { log "run me as root"; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v mvn > /dev/null || missing+=(maven)
# The guest build (itests/lab/build-guest.sh) downloads Debian's kernel package with apt-get:
# it needs package lists even when nothing else is missing.
if (( ${#missing[@]} > 0 )) || ! compgen -G '/var/lib/apt/lists/*Packages*' > /dev/null; then
    log "apt-get update"
    apt-get update -qq
fi
if (( ${#missing[@]} > 0 )); then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# /dev/kvm is root:root 0600 here and cannot run normal guests anyway (guests use TCG); giving it
# to group kvm stops libvirtd from re-probing QEMU on every start (44 s -> 0.3 s, STACK.md).
if [[ -e /dev/kvm ]] && getent group kvm > /dev/null; then
    chgrp kvm /dev/kvm
    chmod 660 /dev/kvm
fi

if ! pgrep -x virtlogd > /dev/null; then
    log "starting virtlogd"
    virtlogd -d
fi
if ! pgrep -x libvirtd > /dev/null; then
    log "starting libvirtd"
    libvirtd -d
fi
for _ in $(seq 1 300); do
    [[ -S /run/libvirt/libvirt-sock ]] && break
    sleep 0.1
done
[[ -S /run/libvirt/libvirt-sock ]] || { log "libvirtd did not create /run/libvirt/libvirt-sock"; exit 1; }
virsh -q -c qemu:///system version > /dev/null

"$ROOT/scripts/setup-postgres.sh" > /dev/null

# --- storage-iscsi: tgtd on loopback for the iSCSI backend's tests --------------------------------
# tgtd keeps its targets in memory (the tests make and remove their own) and forks into the
# background. Loopback only: nothing outside this machine reaches the test targets.
# Asked through tgtadm rather than pgrep: a tgtd that just stopped lingers as a zombie.
if ! tgtadm --lld iscsi --mode system --op show > /dev/null 2>&1; then
    log "starting tgtd on 127.0.0.1:3260"
    tgtd --iscsi portal=127.0.0.1:3260
fi
for _ in $(seq 1 100); do
    tgtadm --lld iscsi --mode system --op show > /dev/null 2>&1 && break
    sleep 0.1
done
tgtadm --lld iscsi --mode system --op show > /dev/null || { log "tgtd does not answer tgtadm"; exit 1; }
# --- end storage-iscsi ---------------------------------------------------------------------------

log "ready: libvirtd ($(virsh -c qemu:///system version | sed -n 's/^Running hypervisor: //p')), PostgreSQL, tgtd"
