package org.widecloud.driver.kvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the CPU flags of this machine from {@code /proc/cpuinfo}. */
final class CpuInfo {
    private static final Pattern VIRT = Pattern.compile("\\b(vmx|svm)\\b");

    private CpuInfo() {
    }

    /** True when a {@code flags} line lists vmx (Intel VT-x) or svm (AMD-V); false when the file is missing. */
    static boolean hasHardwareVirtualization(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).anyMatch(l -> VIRT.matcher(l).find());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cpuinfo, e);
        }
    }
}
