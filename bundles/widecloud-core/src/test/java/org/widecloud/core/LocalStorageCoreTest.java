package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.libvirt.LibvirtStoragePools;
import org.widecloud.storage.local.LocalStorageBackend;

/**
 * Core with the real local storage backend ({@code storage=local}) on libvirt's test hypervisor: pools and volumes
 * are real libvirt objects there (in memory; the test hypervisor keeps no data, so an image file becomes a base
 * volume of its size). The VM's root volume is a qcow2 overlay whose base is the image, removed with the VM.
 */
class LocalStorageCoreTest extends StorageTestBase {
    LibvirtStoragePools libvirt;
    Host host;
    Pool pool;

    @BeforeEach
    void setUp() throws Exception {
        libvirt = new LibvirtStoragePools();
        core.withStorage(new LocalStorageBackend());
        core.sites.create(USER, new Requests.SiteCreate("campus", null));
        host = host("h1", "campus");
        Path image = folder.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8 * MIB);
        }
        diskImage("disk", image.toString(), "raw", 8 * MIB);
        pool = core.pools.create(USER, new Requests.PoolCreate("local", "campus", "local",
                Map.of("path", "/var/lib/widecloud/pools/core-test-" + UUID.randomUUID().toString().substring(0, 8))));
    }

    @AfterEach
    void tearDown() {
        HostEndpoint ep = Endpoints.of(host);
        String lv = "wc-" + pool.id().substring(0, 8);
        try {
            if (libvirt.poolExists(ep, lv)) {
                libvirt.volumes(ep, lv).forEach(v -> libvirt.deleteVolume(ep, lv, v.name()));
                libvirt.removePool(ep, lv, false);
            }
        } finally {
            libvirt.close();
        }
    }

    private List<String> volumesInLibvirt() {
        return libvirt.volumes(Endpoints.of(host), "wc-" + pool.id().substring(0, 8)).stream()
                .map(LibvirtStoragePools.VolumeInfo::name).sorted().toList();
    }

    @Test
    void aVmsRootVolumeIsAnOverlayOnTheImageAndGoesWithTheVm() throws Exception {
        assertTrue(pool.capacityBytes() > 0, pool.toString());
        Job j = core.jobs.await(core.vms.create(USER, new Requests.VmCreate("web", "h1", null, 1, 64L, "disk",
                List.of(), false, "local", null, null)).id(), Duration.ofSeconds(30));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Vm vm = core.vms.get("web");
        Volume root = core.volumes.get(vm.id());
        assertEquals(8 * MIB, root.sizeBytes());
        assertEquals(2, volumesInLibvirt().size(), "the overlay and its base: " + volumesInLibvirt());
        assertTrue(volumesInLibvirt().contains(vm.id()));
        var disk = driver.defined(vm.id()).disks().get(0);
        assertEquals(root.key(), disk.source());
        assertEquals("qcow2", disk.format());
        assertFalse(disk.readOnly());

        Volume data = core.volumes.create(USER, new Requests.VolumeCreate("data", "local", null, 4 * MIB, null, null));
        core.volumes.attach(USER, "data", new Requests.VolumeAttach("web"));
        assertEquals(List.of(root.key(), data.key()), driver.defined(vm.id()).disks().stream()
                .map(d -> d.source()).toList());

        assertEquals(JobState.SUCCEEDED, core.jobs.await(core.vms.delete(USER, "web").id(), Duration.ofSeconds(30))
                .state());
        assertEquals(List.of(data.id()), volumesInLibvirt(), "root and its base gone, the data volume kept");
        core.volumes.delete(USER, "data");
        assertEquals(List.of(), volumesInLibvirt());
    }
}
