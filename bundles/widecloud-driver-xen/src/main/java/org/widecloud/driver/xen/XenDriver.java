package org.widecloud.driver.xen;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationProgress;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.DomainXml;
import org.widecloud.driver.libvirt.HostProbe;
import org.widecloud.driver.libvirt.LibvirtDriver;

/**
 * Xen hosts through libvirt's libxl driver ({@code xen:///system}, {@code xen+ssh://root@host/system}). Each VM
 * becomes a PV or an HVM guest ({@code guest.type}); libvirt's test hypervisor ({@code test:///...}) gets the
 * same XML with domain type {@code test}. Live migration is the shared {@link LibvirtDriver}'s (peer to peer),
 * with the options libxl has.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.TYPE_PROPERTY + "=" + XenDriver.TYPE,
        configurationPid = XenDriver.PID)
@Designate(ocd = XenDriver.Config.class)
public class XenDriver extends LibvirtDriver {
    public static final String TYPE = "xen";
    public static final String PID = "org.widecloud.driver.xen";
    private static final Logger LOG = LoggerFactory.getLogger(XenDriver.class);
    /** A program name or absolute path: it ends up in the domain XML and libxl runs it on the host. */
    private static final Pattern BOOTLOADER = Pattern.compile("[A-Za-z0-9_.+/-]{1,255}");

    @ObjectClassDefinition(name = "widecloud Xen driver", id = PID)
    public @interface Config {
        @AttributeDefinition(description = "Guest type: auto (PV for images with a kernel, HVM for disk images), "
                + "pv or hvm")
        String guest_type() default "auto";

        @AttributeDefinition(description = "Bootloader of PV guests booting from a disk image (pygrub or a path); "
                + "empty for none", required = false)
        String pv_bootloader() default "pygrub";
    }

    private volatile GuestType guestType = GuestType.AUTO;
    private volatile String bootloader = "pygrub";
    /** Per host URI: whether the host can run HVM guests (VT-x/AMD-V under Xen), read from its capabilities. */
    private final Map<String, Boolean> hvmOffered = new ConcurrentHashMap<>();

    public XenDriver() {
    }

    /** For plain-object use (tests, other components): the same settings DS passes from ConfigAdmin. */
    public XenDriver(String guestType, String pvBootloader) {
        configure(guestType, pvBootloader);
    }

    @Activate
    @Modified
    void activate(Config config) {
        configure(config.guest_type(), config.pv_bootloader());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private void configure(String type, String loader) {
        GuestType t = GuestType.parse(type);
        String l = loader == null || loader.isBlank() ? null : loader.trim();
        if (l != null && !BOOTLOADER.matcher(l).matches()) {
            throw new IllegalArgumentException("pv.bootloader: '" + l + "' is not a program name or path");
        }
        guestType = t;
        bootloader = l;
        forgetFlavours();
        LOG.info("xen driver: guest.type={}, pv.bootloader={}", guestType, bootloader);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The host's base flavour (PV); {@link #flavourFor} picks PV or HVM per VM. */
    @Override
    protected DomainFlavour flavour(HostProbe probe) {
        String domainType = probe.isTestDriver() ? "test" : "xen";
        boolean hvm = probe.offers("hvm", domainType);
        hvmOffered.put(probe.uri(), hvm);
        if (!probe.isTestDriver() && !probe.offers("xen", domainType) && !hvm) {
            LOG.warn("{} ({}) offers no Xen guests: is it a Xen dom0 with libvirt's libxl driver?", probe.uri(),
                    probe.connectionType());
        }
        return DomainFlavour.xenPv(domainType, bootloader);
    }

    /** The flavour of the VM's domain XML on the host: PV or HVM as {@code guest.type} and the image say. */
    public DomainFlavour flavourFor(HostEndpoint host, VmSpec spec) {
        return flavourFor(host.uri(), flavourOf(host).domainType(), spec);
    }

    /** After {@link #flavour(HostProbe)} has seen the host's capabilities. */
    DomainFlavour flavourFor(String uri, String domainType, VmSpec spec) {
        boolean kernel = spec.boot() != null && spec.boot().isKernel();
        if (guestType.resolve(kernel) == GuestType.HVM) {
            if (!hvmOffered.getOrDefault(uri, true)) {
                throw new DriverException("guest.type: " + uri + " cannot run HVM guests (no VT-x/AMD-V under Xen); "
                        + "give the VM an image with a kernel, or set guest.type = pv to boot disk images through "
                        + (bootloader == null ? "a bootloader (pv.bootloader)" : bootloader), null);
            }
            return DomainFlavour.xenHvm(domainType);
        }
        if (!kernel && bootloader == null) {
            throw new DriverException("pv.bootloader: is empty, but a PV guest booting from a disk image needs one "
                    + "(pygrub)", null);
        }
        return DomainFlavour.xenPv(domainType, bootloader);
    }

    /** libxl migrates live between Xen hosts, peer to peer, with the shared code's migration. */
    @Override
    public boolean supportsLiveMigration() {
        return true;
    }

    /** The shared migration with the options libxl understands ({@link XenMigration}). */
    @Override
    public MigrationResult migrate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions options,
            MigrationProgress progress) {
        return super.migrate(source, target, vmId, XenMigration.adapt(options), progress);
    }

    @Override
    public String domainXml(HostEndpoint host, VmSpec spec) {
        DomainXml.validate(spec);
        return DomainXml.build(spec, flavourFor(host, spec));
    }
}
