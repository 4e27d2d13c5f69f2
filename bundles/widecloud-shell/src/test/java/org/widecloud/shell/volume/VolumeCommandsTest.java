package org.widecloud.shell.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

/** Volume commands on the real core with the real local backend on test:///default. */
class VolumeCommandsTest extends CoreTest {

    @BeforeEach
    void storage() throws Exception {
        installStorage();
        core.pools.create("alice", new Requests.PoolCreate("fast", "lyon", "local", Map.of("path",
                files.resolve("fast").toString())));
        core.images.create("alice", new Requests.ImageCreate("tiny", null, null, "/srv/lab/vmlinuz",
                "/srv/lab/initrd.img", null));
        String job = core.vms.create("alice", new Requests.VmCreate("vol-vm", "h1", null, 1, 64L, "tiny", List.of(),
                false)).id();
        assertEquals(JobState.SUCCEEDED, core.jobs.await(job, Duration.ofSeconds(30)).state());
    }

    private <T extends VolumeAction> T wire(T a) {
        a.volumeService = core.volumes;
        a.poolService = core.pools;
        a.hostService = core.hosts;
        a.imageService = core.images;
        a.vmService = core.vms;
        return a;
    }

    @Test
    void createAttachDetachDelete() throws Exception {
        VolumeCreate c = wire(new VolumeCreate());
        c.name = "data";
        c.pool = "fast";
        c.host = "h1";
        c.size = "1M";
        Result created = ok(c);
        assertEquals("1048576", detail(created.out(), "Size bytes"), created.out());
        assertEquals("fast", detail(created.out(), "Pool"));
        assertEquals("h1", detail(created.out(), "Host"));
        assertEquals("AVAILABLE", detail(created.out(), "State"));

        c.name = "bad";
        c.size = "1Q";
        assertEquals("Error: size: expected bytes or a size such as 512M or 10G, got '1Q'", run(c).error());
        c.size = "0";
        assertTrue(run(c).error().startsWith("Error: sizeBytes: "), run(c).error());

        VolumeList l = new VolumeList();
        l.volumeService = core.volumes;
        l.poolService = core.pools;
        l.hostService = core.hosts;
        l.imageService = core.images;
        l.vmService = core.vms;
        l.pool = "fast";
        l.setNoFormat(true);
        assertEquals(List.of("data", "fast", "h1", "1048576", "qcow2"), rows(ok(l).out()).get(0).subList(1, 6));

        VolumeAttach a = wire(new VolumeAttach());
        a.volume = "data";
        a.vm = "vol-vm";
        assertEquals("vol-vm", detail(ok(a).out(), "VM"));
        l.pool = null;
        l.vm = "vol-vm";
        assertEquals(1, rows(ok(l).out()).size());

        VolumeDelete d = new VolumeDelete();
        d.volumeService = core.volumes;
        d.volume = "data";
        assertTrue(run(d).error().startsWith("Error: "), "refused while attached");

        VolumeResize r = wire(new VolumeResize());
        r.volume = "data";
        r.size = "512K";
        assertTrue(run(r).error().startsWith("Error: sizeBytes: "), run(r).error());

        VolumeDetach x = wire(new VolumeDetach());
        x.volume = "data";
        Result detached = ok(x);
        assertNull(detail(detached.out(), "VM"), detached.out());
        assertEquals("AVAILABLE", detail(detached.out(), "State"));

        assertEquals("Volume data deleted" + System.lineSeparator(), ok(d).out());
        assertEquals(0, core.volumes.list(PageRequest.all(), null, null).total());
    }
}
