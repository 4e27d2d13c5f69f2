package org.widecloud.shell.image;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.shell.support.Details;

final class ImageView {
    static final List<String> COLUMNS = List.of("ID", "Name", "Kind", "Source", "Format");

    private ImageView() {
    }

    static List<Object> row(Image i) {
        return Arrays.asList(i.id(), i.name(), i.kind(), source(i), i.format());
    }

    /** A disk image is its path; a direct-boot image is its kernel and initrd. */
    static String source(Image i) {
        if (i.kind() == ImageKind.KERNEL) {
            return i.kernel() + (i.initrd() != null ? " + " + i.initrd() : "");
        }
        return i.path();
    }

    static void print(Image i, PrintStream out) {
        Details d = new Details().add("ID", i.id()).add("Name", i.name()).add("Kind", i.kind());
        if (i.kind() == ImageKind.KERNEL) {
            d.add("Kernel", i.kernel()).add("Initrd", i.initrd()).add("Cmdline", i.cmdline());
        } else {
            d.add("Path", i.path()).add("Format", i.format()).add("Virtual size bytes", i.virtualSizeBytes())
                    .add("Checksum", i.checksum());
        }
        d.add("Created", i.created()).add("Version", i.version()).print(out);
    }
}
