package org.widecloud.shell.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.PageRequest;
import org.widecloud.core.ImageServiceImpl;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

class ImageCommandsTest extends CoreTest {

    ImageCreate create(String name) {
        ImageCreate c = new ImageCreate();
        c.imageService = core.images;
        c.name = name;
        return c;
    }

    @Test
    void diskAndKernelImagesListWithTheirSource() throws Exception {
        ImageCreate disk = create("debian");
        disk.path = diskFile("debian.qcow2", "qcow2", 1 << 20);
        disk.format = "qcow2";
        assertNull(run(disk).error());
        ImageCreate kernel = create("tiny");
        kernel.kernel = "/srv/lab/vmlinuz";
        kernel.initrd = "/srv/lab/initrd.img";
        kernel.cmdline = "console=ttyS0";
        Result k = run(kernel);
        assertNull(k.error(), k.error());
        assertEquals("console=ttyS0", detail(k.out(), "Cmdline"), k.out());

        ImageList l = new ImageList();
        l.imageService = core.images;
        l.setNoFormat(true);
        List<List<String>> rows = rows(run(l).out()).stream().sorted((a, b) -> a.get(1).compareTo(b.get(1)))
                .toList();
        assertEquals(List.of("debian", "DISK", disk.path, "qcow2"),
                rows.get(0).subList(1, 5));
        assertEquals(List.of("tiny", "KERNEL", "/srv/lab/vmlinuz + /srv/lab/initrd.img", ""),
                rows.get(1).subList(1, 5));

        ImageUpdate u = new ImageUpdate();
        u.imageService = core.images;
        u.image = "tiny";
        u.cmdline = "console=ttyS0 quiet";
        assertEquals("console=ttyS0 quiet", detail(run(u).out(), "Cmdline"));

        ImageDelete d = new ImageDelete();
        d.imageService = core.images;
        d.image = "debian";
        assertEquals("Image debian deleted" + System.lineSeparator(), run(d).out());
        assertEquals(1, core.images.list(PageRequest.all()).total());
    }

    @Test
    void neitherPathNorKernelIsRefused() throws Exception {
        Result r = run(create("empty"));
        assertEquals("Error: path: is required (or kernel and initrd for direct kernel boot)", r.error());
        assertEquals(0, core.images.list(PageRequest.all()).total());
    }

    @Test
    void importConvertsAVmdkToQcow2AndRefusesATextFile() throws Exception {
        ImageImport i = new ImageImport();
        i.imageService = new ImageServiceImpl(store, core.audit, files.resolve("images"));
        i.name = "p2v";
        i.path = diskFile("server.vmdk", "vmdk", 2 << 20);
        Result r = run(i);
        assertNull(r.error(), r.error());
        assertEquals("qcow2", detail(r.out(), "Format"), r.out());
        assertEquals(String.valueOf(2 << 20), detail(r.out(), "Virtual size bytes"));
        assertTrue(detail(r.out(), "Path").startsWith(files.resolve("images").toString()), r.out());
        assertTrue(detail(r.out(), "Checksum").startsWith("sha256:"), r.out());

        i.name = "notes";
        i.path = java.nio.file.Files.writeString(files.resolve("notes.txt"), "hello").toString();
        Result bad = run(i);
        assertTrue(bad.error().startsWith("Error: path: is not a disk image"), bad.error());
        assertEquals(1, core.images.list(PageRequest.all()).total());
    }
}
