/**
 * Shared code of widecloud's libvirt-based hypervisor drivers (kvm now, xen later): a driver subclasses
 * {@link org.widecloud.driver.libvirt.LibvirtDriver} and says which domain XML flavour a host gets. libvirt-java
 * is embedded in this bundle and never appears in this package's signatures.
 */
@Export
@Version("1.2.0")
package org.widecloud.driver.libvirt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
