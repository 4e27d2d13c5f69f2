package com.example.widecloud.driver.sample;

import java.util.List;
import java.util.UUID;

import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.tck.HypervisorDriverContract;

/** A vendor runs widecloud's driver TCK against their own driver: this is all it takes. */
class SampleDriverTckTest extends HypervisorDriverContract {
    private final SampleDriver driver = new SampleDriver();

    @Override
    protected HypervisorDriver driver() {
        return driver;
    }

    @Override
    protected HostEndpoint host() {
        return new HostEndpoint("sample-host", "sample-host", "sample://one");
    }

    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 64, VmSpec.Boot.disk(),
                List.of(VmSpec.Disk.file("/images/" + name + ".qcow2", "qcow2", false)), List.of());
    }

    @Override
    protected void afterEachTest() {
        driver.deactivate();
    }
}
