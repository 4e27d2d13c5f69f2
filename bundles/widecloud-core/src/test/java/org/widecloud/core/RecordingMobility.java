package org.widecloud.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MobilityBackend;

/**
 * A mobility backend that records what core asks of it, in order ("prepare h1>h2"), and can fail a step: it
 * checks the saga's order and its undo; the real backends (VXLAN in the lab) check the data plane.
 */
final class RecordingMobility implements MobilityBackend {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String failOn;
    /** When set, the network reaches only this site (like a VLAN trunked to one site). */
    volatile String reachesOnlySite;
    /** Like NEMO: the network moves as a whole. */
    volatile boolean movesWhole;

    @Override
    public boolean movesWholeNetwork() {
        return movesWhole;
    }

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public void validate(Map<String, String> parameters) {
        if (parameters.containsKey("bad")) {
            throw new DriverException("bad parameter", null);
        }
    }

    @Override
    public boolean canExtendTo(NetworkAttachment network, String siteId) {
        String only = reachesOnlySite;
        return !"nowhere".equals(network.parameters().get("extend")) && (only == null || only.equals(siteId));
    }

    @Override
    public void attach(NetworkAttachment network, HostEndpoint host) {
        record("attach " + host.hostName());
    }

    @Override
    public void prepare(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        record("prepare " + source.hostName() + ">" + target.hostName());
    }

    @Override
    public void commit(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        record("commit " + source.hostName() + ">" + target.hostName());
    }

    @Override
    public void rollback(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        record("rollback " + source.hostName() + ">" + target.hostName());
    }

    @Override
    public void release(NetworkAttachment network, HostEndpoint host) {
        record("release " + host.hostName());
    }

    private void record(String call) {
        calls.add(call);
        if (failOn != null && call.startsWith(failOn)) {
            throw new DriverException(call + " failed (injected)", null);
        }
    }
}
