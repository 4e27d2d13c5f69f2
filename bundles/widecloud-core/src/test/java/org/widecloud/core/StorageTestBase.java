package org.widecloud.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.Requests;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * What the storage tests share: the real core on an H2 store in a temporary folder, {@link MovingTestDriver} on
 * libvirt's test hypervisor (the first host on {@code test:///default}, each further one on its own {@code test:///}
 * node file), the test fixture storage {@link DirStorageBackend} as {@code dir} (host-local) and {@code shared}
 * (reached by every host), and disk images registered with a known virtual size.
 */
abstract class StorageTestBase {
    static final String USER = "tester";
    static final long MIB = 1024 * 1024;

    @TempDir
    Path folder;
    JdbcCloudStore store;
    MovingTestDriver driver;
    DirStorageBackend dir;
    DirStorageBackend shared;
    CoreFixture core;
    private boolean defaultUsed;

    @BeforeEach
    void startCore() {
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.resolve("db").toString()), null, null, 4);
        driver = new MovingTestDriver();
        dir = new DirStorageBackend("dir", true, folder.resolve("hosts"));
        shared = new DirStorageBackend("shared", false, folder.resolve("storage"));
        core = new CoreFixture(store).withDriver(driver).withStorage(dir).withStorage(shared);
    }

    Host host(String name, String site) throws Exception {
        String uri = "test:///default";
        if (defaultUsed) {
            uri = "test://" + Files.writeString(folder.resolve(name + ".xml"), "<node><cpu><mhz>2000</mhz>"
                    + "<model>i686</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores>"
                    + "<threads>1</threads></cpu><memory>8388608</memory></node>");
        }
        defaultUsed = true;
        return core.hosts.create(USER, new Requests.HostCreate(name, site, "kvm", uri));
    }

    void diskImage(String name, String path, String format, long virtualSize) {
        store.insertImage(new Image(UUID.randomUUID().toString(), name, ImageKind.DISK, path, format, null, null,
                null, Instant.now(), 0, virtualSize, "sha256:00"));
    }

    Job done(Job job) throws InterruptedException {
        Job j = core.jobs.await(job.id(), Duration.ofSeconds(30));
        org.junit.jupiter.api.Assertions.assertTrue(j.isDone(), "job did not end: " + j);
        return j;
    }

    @AfterEach
    void stopCore() {
        try {
            core.close();
            driver.close();
        } finally {
            store.close();
        }
    }
}
