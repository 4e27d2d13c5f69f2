/**
 * widecloud's driver TCK: abstract JUnit 5 contract classes that a hypervisor driver's own tests extend. See
 * {@link org.widecloud.driver.tck.HypervisorDriverContract}.
 */
package org.widecloud.driver.tck;
