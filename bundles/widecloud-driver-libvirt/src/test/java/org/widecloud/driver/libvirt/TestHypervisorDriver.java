package org.widecloud.driver.libvirt;

import org.widecloud.api.spi.HostEndpoint;

/** The shared code with the flavour libvirt's test driver accepts ({@code <domain type='test'>}). */
class TestHypervisorDriver extends LibvirtDriver {
    @Override
    public String type() {
        return "test";
    }

    @Override
    protected DomainFlavour flavour(HostProbe probe) {
        return DomainFlavour.qemu(probe.isTestDriver() ? "test" : "qemu", null);
    }

    void simulateConnectionLoss(HostEndpoint host) {
        breakConnection(host);
    }
}
