package org.widecloud.driver.libvirt;

import static org.widecloud.driver.libvirt.internal.SafeXml.child;
import static org.widecloud.driver.libvirt.internal.SafeXml.text;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.internal.SafeXml;

/**
 * Builds libvirt domain XML from a {@link VmSpec} with the JDK DOM: every user string is a text node or an
 * attribute value, so the serialiser escapes it. Input that would give wrong XML (a bad MAC, an empty bridge, a
 * control character) is refused with a {@link DriverException} naming the field.
 */
public final class DomainXml {
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    /** Linux interface names: up to 15 bytes, no whitespace, '/' or ':'. */
    private static final Pattern BRIDGE = Pattern.compile("[^\\s/:]{1,15}");
    private static final Set<String> SINGLE_HOST_PROTOCOLS = Set.of("iscsi", "nbd", "http",
            "https", "ftp", "ftps", "tftp", "ssh", "vxhs", "nfs");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final Set<String> AUTH_PROTOCOLS = Set.of("iscsi", "rbd");
    /** libvirt's schema: the auth username is a genericName, the secret usage an objectName. */
    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_+-]{1,255}");
    private static final Pattern USAGE = Pattern.compile("[^/\\x00-\\x1F\\x7F]{1,255}");
    /** XML 1.0 cannot carry these at all, escaped or not. */
    private static final Pattern NOT_XML = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");

    private DomainXml() {
    }

    public static String build(VmSpec spec, DomainFlavour flavour) {
        validate(spec);
        optionalText("bootloader", flavour.bootloader());
        Document doc = SafeXml.builder().newDocument();
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", flavour.domainType());
        doc.appendChild(domain);

        text(domain, "name", spec.name());
        text(domain, "uuid", spec.id().toLowerCase(Locale.ROOT));
        text(domain, "memory", Long.toString(spec.memoryMiB())).setAttribute("unit", "MiB");
        text(domain, "currentMemory", Long.toString(spec.memoryMiB())).setAttribute("unit", "MiB");
        text(domain, "vcpu", Integer.toString(spec.vcpus())).setAttribute("placement", "static");
        if (usesBootloader(spec, flavour)) {
            text(domain, "bootloader", flavour.bootloader());
        }
        os(domain, spec, flavour);
        if (flavour.acpi()) {
            Element features = child(domain, "features");
            child(features, "acpi");
            child(features, "apic");
        }
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");

        Element devices = child(domain, "devices");
        List<VmSpec.Disk> disks = spec.disks();
        for (int i = 0; i < disks.size(); i++) {
            disk(devices, disks.get(i), i, flavour);
        }
        for (VmSpec.NicSpec nic : spec.nics()) {
            Element iface = child(devices, "interface");
            iface.setAttribute("type", "bridge");
            child(iface, "mac").setAttribute("address", nic.mac().toLowerCase(Locale.ROOT));
            child(iface, "source").setAttribute("bridge", nic.bridge());
            String model = flavour.nicModel() != null ? flavour.nicModel()
                    : nic.model() == null ? "virtio" : nic.model();
            child(iface, "model").setAttribute("type", model);
        }
        if (flavour.console() == DomainFlavour.Console.XEN) {
            Element console = child(devices, "console");
            console.setAttribute("type", "pty");
            Element target = child(console, "target");
            target.setAttribute("type", "xen");
            target.setAttribute("port", "0");
            return SafeXml.write(doc);
        }
        Element serial = child(devices, "serial");
        serial.setAttribute("type", "pty");
        child(serial, "target").setAttribute("port", "0");
        if (flavour.consoleLogDir() != null && !flavour.consoleLogDir().isBlank()) {
            Element log = child(serial, "log");
            log.setAttribute("file", consoleLog(flavour.consoleLogDir(), spec.id()));
            log.setAttribute("append", "off");
        }
        Element console = child(devices, "console");
        console.setAttribute("type", "pty");
        Element target = child(console, "target");
        target.setAttribute("type", "serial");
        target.setAttribute("port", "0");
        return SafeXml.write(doc);
    }

    /** Where a guest's serial console is copied when the flavour has a console log directory. */
    public static String consoleLog(String dir, String vmId) {
        return (dir.endsWith("/") ? dir : dir + "/") + vmId.toLowerCase(Locale.ROOT) + ".console.log";
    }

    private static void os(Element domain, VmSpec spec, DomainFlavour flavour) {
        Element os = child(domain, "os");
        Element type = text(os, "type", flavour.osType());
        if (flavour.arch() != null) {
            type.setAttribute("arch", flavour.arch());
        }
        if (flavour.machine() != null) {
            type.setAttribute("machine", flavour.machine());
        }
        VmSpec.Boot boot = spec.boot();
        if (boot != null && boot.isKernel()) {
            text(os, "kernel", boot.kernel());
            if (boot.initrd() != null && !boot.initrd().isEmpty()) {
                text(os, "initrd", boot.initrd());
            }
            if (boot.cmdline() != null && !boot.cmdline().isEmpty()) {
                text(os, "cmdline", boot.cmdline());
            }
        } else if (!usesBootloader(spec, flavour)) {
            child(os, "boot").setAttribute("dev", "hd");
        }
    }

    /** A bootloader on the host (pygrub) starts disk-booted guests of flavours that have one (Xen PV). */
    private static boolean usesBootloader(VmSpec spec, DomainFlavour flavour) {
        return flavour.bootloader() != null && !flavour.bootloader().isBlank()
                && (spec.boot() == null || !spec.boot().isKernel());
    }

    private static void disk(Element devices, VmSpec.Disk d, int index, DomainFlavour flavour) {
        Element disk = child(devices, "disk");
        disk.setAttribute("type", d.type());
        disk.setAttribute("device", "disk");
        if (flavour.diskDriver() != null) {
            Element driver = child(disk, "driver");
            driver.setAttribute("name", flavour.diskDriver());
            driver.setAttribute("type", d.format() == null ? "raw" : d.format());
        }
        Element source = child(disk, "source");
        if ("file".equals(d.type())) {
            source.setAttribute("file", d.source());
        } else {
            source.setAttribute("protocol", d.protocol());
            source.setAttribute("name", d.source());
            for (String hostPort : d.hosts()) {
                HostPort hp = HostPort.parse(hostPort);
                Element host = child(source, "host");
                host.setAttribute("name", hp.host());
                if (hp.port() != null) {
                    host.setAttribute("port", hp.port());
                }
            }
            if (d.auth() != null) {
                // Only the username and the secret's usage name: the value lives in libvirt's secret store.
                Element auth = child(source, "auth");
                auth.setAttribute("username", d.auth().username());
                Element secret = child(auth, "secret");
                secret.setAttribute("type", secretType(d.protocol()));
                secret.setAttribute("usage", d.auth().usage());
            }
        }
        Element target = child(disk, "target");
        target.setAttribute("dev", targetDev(flavour.diskBus(), index));
        target.setAttribute("bus", flavour.diskBus());
        if (d.readOnly()) {
            child(disk, "readonly");
        }
    }

    /** libvirt's secret type for a network disk protocol's credentials. */
    static String secretType(String protocol) {
        return "rbd".equals(protocol) ? "ceph" : "iscsi";
    }

    /** vda, vdb, ... vdz, vdaa, ... as libvirt names them; xvd* for the xen bus, sd* for scsi/sata. */
    static String targetDev(String bus, int index) {
        String prefix = switch (bus) {
            case "xen" -> "xvd";
            case "scsi", "sata", "usb" -> "sd";
            case "ide" -> "hd";
            default -> "vd";
        };
        StringBuilder suffix = new StringBuilder();
        int i = index;
        do {
            suffix.insert(0, (char) ('a' + i % 26));
            i = i / 26 - 1;
        } while (i >= 0);
        return prefix + suffix;
    }

    /** Refuses a spec that would give wrong XML; the message names the field. */
    public static void validate(VmSpec spec) {
        if (spec == null) {
            throw invalid("spec", "is required");
        }
        if (spec.id() == null || !isUuid(spec.id())) {
            throw invalid("id", "'" + spec.id() + "' is not a UUID");
        }
        requireText("name", spec.name());
        if (spec.vcpus() <= 0) {
            throw invalid("vcpus", "must be positive, was " + spec.vcpus());
        }
        if (spec.memoryMiB() <= 0) {
            throw invalid("memoryMiB", "must be positive, was " + spec.memoryMiB());
        }
        VmSpec.Boot boot = spec.boot();
        if (boot != null && boot.isKernel()) {
            requireText("boot.kernel", boot.kernel());
            optionalText("boot.initrd", boot.initrd());
            optionalText("boot.cmdline", boot.cmdline());
        } else if (spec.disks().isEmpty()) {
            throw invalid("disks", "a VM that boots from disk needs at least one disk");
        }
        for (int i = 0; i < spec.disks().size(); i++) {
            validateDisk("disks[" + i + "]", spec.disks().get(i));
        }
        for (int i = 0; i < spec.nics().size(); i++) {
            VmSpec.NicSpec nic = spec.nics().get(i);
            String f = "nics[" + i + "]";
            if (nic == null) {
                throw invalid(f, "is null");
            }
            if (nic.mac() == null || !MAC.matcher(nic.mac()).matches()) {
                throw invalid(f + ".mac", "'" + nic.mac() + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
            }
            if ((Integer.parseInt(nic.mac().substring(0, 2), 16) & 1) != 0) {
                throw invalid(f + ".mac", "'" + nic.mac() + "' is a multicast address");
            }
            if (nic.bridge() == null || !BRIDGE.matcher(nic.bridge()).matches()) {
                throw invalid(f + ".bridge", "'" + nic.bridge() + "' is not a bridge name (1-15 characters, "
                        + "no spaces, '/' or ':')");
            }
            if (nic.model() != null && !TOKEN.matcher(nic.model()).matches()) {
                throw invalid(f + ".model", "'" + nic.model() + "' is not a NIC model name");
            }
        }
    }

    private static void validateDisk(String f, VmSpec.Disk d) {
        if (d == null) {
            throw invalid(f, "is null");
        }
        if (d.format() != null && !TOKEN.matcher(d.format()).matches()) {
            throw invalid(f + ".format", "'" + d.format() + "' is not a disk format");
        }
        if ("file".equals(d.type())) {
            requireText(f + ".source", d.source());
            if (!d.source().startsWith("/")) {
                throw invalid(f + ".source", "'" + d.source() + "' is not an absolute path");
            }
        } else if ("network".equals(d.type())) {
            if (d.protocol() == null || !TOKEN.matcher(d.protocol()).matches()) {
                throw invalid(f + ".protocol", "'" + d.protocol() + "' is not a protocol (iscsi, nbd, rbd ...)");
            }
            requireText(f + ".source", d.source());
            if (d.hosts().isEmpty()) {
                throw invalid(f + ".hosts", "a network disk needs at least one host");
            }
            // libvirt's schema: only rbd, gluster and sheepdog-like protocols list several hosts
            if (SINGLE_HOST_PROTOCOLS.contains(d.protocol()) && d.hosts().size() != 1) {
                throw invalid(f + ".hosts", d.protocol() + " takes exactly one host, got " + d.hosts().size());
            }
            for (int h = 0; h < d.hosts().size(); h++) {
                try {
                    HostPort.parse(d.hosts().get(h));
                } catch (IllegalArgumentException e) {
                    throw invalid(f + ".hosts[" + h + "]", e.getMessage());
                }
            }
            validateAuth(f + ".auth", d);
        } else {
            throw invalid(f + ".type", "'" + d.type() + "' is not a disk type (file or network)");
        }
        if ("file".equals(d.type()) && d.auth() != null) {
            throw invalid(f + ".auth", "only network disks take credentials");
        }
    }

    /** The secret itself is checked for presence only and never named in a message. */
    private static void validateAuth(String f, VmSpec.Disk d) {
        VmSpec.Auth auth = d.auth();
        if (auth == null) {
            return;
        }
        if (!AUTH_PROTOCOLS.contains(d.protocol())) {
            throw invalid(f, d.protocol() + " disks take no credentials (iscsi and rbd do)");
        }
        if (auth.username() == null || !USERNAME.matcher(auth.username()).matches()) {
            throw invalid(f + ".username", "'" + auth.username() + "' is not a user name (letters, digits, "
                    + "'_', '+', '-')");
        }
        if (auth.usage() == null || !USAGE.matcher(auth.usage()).matches()) {
            throw invalid(f + ".usage", "'" + auth.usage() + "' is not a secret usage name (1-255 characters, "
                    + "no '/' or control characters)");
        }
        if (auth.secret() == null || auth.secret().isEmpty()) {
            throw invalid(f + ".secret", "is required");
        }
        if (NOT_XML.matcher(auth.secret()).find()) {
            throw invalid(f + ".secret", "contains a control character");
        }
    }

    private static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        optionalText(field, value);
    }

    private static void optionalText(String field, String value) {
        if (value != null && NOT_XML.matcher(value).find()) {
            throw invalid(field, "contains a control character");
        }
    }

    private static DriverException invalid(String field, String problem) {
        return new DriverException(field + ": " + problem, null);
    }

    /** {@code host}, {@code host:port} or {@code [v6addr]:port}. */
    record HostPort(String host, String port) {
        static HostPort parse(String s) {
            if (s == null || s.isBlank() || NOT_XML.matcher(s).find() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + s + "' is not host[:port]");
            }
            String host = s;
            String port = null;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException("'" + s + "' has no closing ']'");
                }
                host = s.substring(1, end);
                if (end + 1 < s.length()) {
                    if (s.charAt(end + 1) != ':') {
                        throw new IllegalArgumentException("'" + s + "' is not [host]:port");
                    }
                    port = s.substring(end + 2);
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = s.substring(s.indexOf(':') + 1);
            }
            if (port != null && !port.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("'" + s + "' has a bad port");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("'" + s + "' has no host");
            }
            return new HostPort(host, port);
        }
    }
}
