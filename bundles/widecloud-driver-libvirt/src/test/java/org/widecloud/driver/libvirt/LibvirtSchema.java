package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Checks domain XML against libvirt's own schemas with {@code virt-xml-validate} (package libvirt-clients). */
public final class LibvirtSchema {
    private static final Path VALIDATOR = Path.of("/usr/bin/virt-xml-validate");

    private LibvirtSchema() {
    }

    /** Skips (fails under CI=true) when the validator or the xmllint it runs is missing. */
    public static void requireValidator() {
        TestEnvironment.require(Files.isExecutable(VALIDATOR),
                "virt-xml-validate is missing (apt-get install libvirt-clients)");
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/xmllint")),
                "xmllint, which virt-xml-validate runs, is missing (apt-get install libxml2-utils)");
    }

    /** Writes the XML into {@code dir} and asserts that libvirt's domain schema accepts it. */
    public static void assertValidDomain(String shape, String xml, Path dir) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("domain.xml"), xml);
        Process p = new ProcessBuilder(VALIDATOR.toString(), file.toString(), "domain").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("virt-xml-validate did not finish");
        }
        assertEquals(0, p.exitValue(), shape + ": " + out + "\n" + xml);
    }
}
