package org.widecloud.driver.kvm;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.HostProbe;
import org.widecloud.driver.libvirt.LibvirtDriver;

/** KVM/QEMU hosts through libvirt ({@code qemu:///system}, {@code qemu+tcp://host/system}, ...). */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.TYPE_PROPERTY + "=" + KvmDriver.TYPE,
        configurationPid = KvmDriver.PID)
@Designate(ocd = KvmDriver.Config.class)
public class KvmDriver extends LibvirtDriver {
    public static final String TYPE = "kvm";
    public static final String PID = "org.widecloud.driver.kvm";
    private static final Logger LOG = LoggerFactory.getLogger(KvmDriver.class);

    @ObjectClassDefinition(name = "widecloud KVM driver", id = PID)
    public @interface Config {
        @AttributeDefinition(description = "Domain type: auto (kvm when the host offers it and its CPU has vmx/svm, "
                + "else qemu), kvm or qemu")
        String domain_type() default "auto";

        @AttributeDefinition(description = "Directory where libvirt copies each guest's serial console as "
                + "<uuid>.console.log; empty for none", required = false)
        String console_log_dir() default "";
    }

    private final Path cpuinfo;
    private volatile DomainTypeChoice choice = DomainTypeChoice.AUTO;
    private volatile String consoleLogDir;

    public KvmDriver() {
        this(Path.of("/proc/cpuinfo"));
    }

    KvmDriver(Path cpuinfo) {
        this.cpuinfo = cpuinfo;
    }

    /** For plain-object use (tests, other components): the same settings DS passes from ConfigAdmin. */
    public KvmDriver(String domainType, String consoleLogDir) {
        this();
        configure(domainType, consoleLogDir);
    }

    @Activate
    @Modified
    void activate(Config config) {
        configure(config.domain_type(), config.console_log_dir());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private void configure(String domainType, String logDir) {
        choice = DomainTypeChoice.parse(domainType);
        consoleLogDir = logDir == null || logDir.isBlank() ? null : logDir.trim();
        forgetFlavours();
        LOG.info("kvm driver: domain.type={}, console.log.dir={}", choice, consoleLogDir);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** QEMU migrates live between libvirtds (peer to peer); see {@link LibvirtDriver#migrate}. */
    @Override
    public boolean supportsLiveMigration() {
        return true;
    }

    @Override
    protected DomainFlavour flavour(HostProbe probe) {
        String type = choice.domainType(probe, () -> CpuInfo.hasHardwareVirtualization(cpuinfo));
        return DomainFlavour.qemu(type, consoleLogDir);
    }
}
