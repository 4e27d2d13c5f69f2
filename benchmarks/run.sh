#!/usr/bin/env bash
#
# benchmarks/run.sh: runs widecloud's benchmarks against a throw-away copy of the built distribution.
#
#   1. cycles on libvirt's test hypervisor (test:///default): the controller's own cost, REST vs raw libvirt-java;
#   2. cycles with real QEMU guests on the local libvirtd (qemu:///system), when it runs and the lab guest can be
#      built (itests/lab/build-guest.sh; needs root for apt-get the first time);
#   3. listing VMs through REST with 100,000 VMs in the store.
#
# Environment: CYCLES (2000), THREADS (8), QEMU_CYCLES (20), VMS (100000), PORT (18181).
# Prints lines starting with RESULT; README.md keeps the last figures.
#
#   benchmarks/run.sh migration [--cycles=10] [--period=30] [--max-downtime=30] [--phases=controller,raw]
#
# (root) The service gap of live migrations in the two-site lab (itests/lab/two-site-lab.sh; no Karaf): a client
# streams 1,000 UDP datagrams/s and an HTTP GET every 100 ms to a 128 MiB guest while it is migrated between
# site A and site B, one migration every --period seconds, --cycles per phase; phase "controller" through the
# real core, KVM driver and VXLAN backend (the gap meter is a migration observer: the issue's seed experiment),
# phase "raw" the same guest with virsh migrate over the lab's static stretch (--phases runs them in the order
# given). Prints per migration the gap,
# libvirt's downtime, gap/downtime and gap - downtime, and per phase median and p95 against the target "gap at
# most downtime + 50 ms". --max-downtime is libvirt's max downtime (ms) in both phases. About
# 2 x cycles x period seconds. It first installs the modules it runs (mvn install -pl benchmarks -am;
# BUILD=0 skips that).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ ${1:-} == migration ]]; then
    shift
    [[ $(id -u) == 0 ]] || { echo "benchmarks/run.sh migration: the two-site lab needs root" >&2; exit 1; }
    if [[ ${BUILD:-1} != 0 ]]; then
        (cd "$ROOT" && mvn -B -q install -DskipTests -pl benchmarks -am)
    fi
    (cd "$ROOT" && mvn -B -q -f benchmarks/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
        && mvn -B -q -f benchmarks/pom.xml compile)
    # A private copy of the classes and jars: the run takes minutes and a build may rewrite ~/.m2 meanwhile (the gap
    # meter itself runs from the kvm test jar's copy).
    LIB="$(mktemp -d /tmp/widecloud-bench-migration.XXXXXX)"
    trap 'rm -rf "$LIB"' EXIT
    cp -a "$ROOT/benchmarks/target/classes" "$LIB/classes"
    CP="$LIB/classes"
    IFS=: read -r -a JARS < "$ROOT/benchmarks/target/classpath.txt" || true  # no newline at its end
    for i in "${!JARS[@]}"; do
        cp "${JARS[$i]}" "$LIB/$i-$(basename "${JARS[$i]}")"
        CP="$CP:$LIB/$i-$(basename "${JARS[$i]}")"
    done
    java -Dwidecloud.buildGuest="$ROOT/itests/lab/build-guest.sh" -cp "$CP" \
        org.widecloud.benchmarks.MigrationBenchmark "$@"
    exit
fi
DIST="$ROOT/karaf-distribution/target/assembly"
WORK="$(mktemp -d /tmp/widecloud-bench.XXXXXX)"
PORT="${PORT:-18181}"
SSH_PORT=$((PORT + 1))
LAB="${WIDECLOUD_LAB_DIR:-/var/tmp/widecloud-lab}"

log() { printf 'bench: %s\n' "$*" >&2; }

if [[ ! -x "$DIST/bin/karaf" ]]; then
    log "building the distribution ..."
    (cd "$ROOT" && mvn -B -q install -DskipTests)
fi
(cd "$ROOT" && mvn -B -q -f benchmarks/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    && mvn -B -q -f benchmarks/pom.xml compile)
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"

cp -a "$DIST" "$WORK/karaf"
K="$WORK/karaf"
rm -rf "$K/data"
STORE_URL="jdbc:h2:file:$K/data/widecloud/store;AUTO_SERVER=TRUE"
# AUTO_SERVER lets the list benchmark write its 100,000 VMs into the running controller's store over loopback.
cat > "$K/etc/org.widecloud.store.cfg" <<CFG
type=h2
url=$STORE_URL
CFG
sed -i "s/^org.osgi.service.http.port *=.*/org.osgi.service.http.port = $PORT/" "$K/etc/org.ops4j.pax.web.cfg"
sed -i "s/^sshPort *=.*/sshPort = $SSH_PORT/" "$K/etc/org.apache.karaf.shell.cfg"
sed -i -e "s/^rmiRegistryPort *=.*/rmiRegistryPort = $((PORT + 2))/" -e "s/^rmiServerPort *=.*/rmiServerPort = $((PORT + 3))/" \
    "$K/etc/org.apache.karaf.management.cfg"

stop() {
    log "stopping the benchmark's Karaf"
    "$K/bin/stop" > /dev/null 2>&1 || true
    for _ in $(seq 1 60); do
        [[ -f "$K/karaf.pid" ]] && kill -0 "$(cat "$K/karaf.pid")" 2> /dev/null || break
        sleep 0.5
    done
    rm -rf "$WORK"
}
trap stop EXIT

log "starting a copy of the distribution on port $PORT (data in $K/data)"
"$K/bin/start"
URL="http://127.0.0.1:$PORT/api/v1"

java -cp "$CP" org.widecloud.benchmarks.VmCycleBenchmark --url="$URL" --uri=test:///default \
    --cycles="${CYCLES:-2000}" --threads="${THREADS:-8}"

if [[ -S /run/libvirt/libvirt-sock ]] && bash "$ROOT/itests/lab/build-guest.sh" "$LAB/guest" > /dev/null 2>&1; then
    java -cp "$CP" org.widecloud.benchmarks.VmCycleBenchmark --url="$URL" --uri=qemu:///system \
        --cycles="${QEMU_CYCLES:-20}" --threads=1 --warmup=2 --memory=128 \
        --kernel="$LAB/guest/vmlinuz" --initrd="$LAB/guest/initrd.gz"
else
    log "no libvirtd socket or no lab guest: skipping the real-QEMU cycles"
fi

java -cp "$CP" org.widecloud.benchmarks.VmListBenchmark --url="$URL" --vms="${VMS:-100000}" \
    --store-type=h2 --store-url="$STORE_URL"
