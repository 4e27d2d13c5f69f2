package org.widecloud.driver.xen;

import java.util.List;
import java.util.UUID;

import org.widecloud.api.spi.VmSpec;

/** The driver TCK with HVM guests (disk images under guest.type=auto) on libvirt's test hypervisor. */
class XenHvmTckTest extends XenTckTest {
    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 256, VmSpec.Boot.disk(),
                List.of(VmSpec.Disk.file("/srv/xen/" + name + ".qcow2", "qcow2", false)),
                List.of(new VmSpec.NicSpec("00:16:3e:12:34:57", "xenbr0", null)));
    }
}
