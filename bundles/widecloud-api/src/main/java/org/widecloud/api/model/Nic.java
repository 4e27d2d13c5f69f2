package org.widecloud.api.model;

/** A VM's network interface: its network (id), fixed addresses (either may be null) and MAC. */
public record Nic(String network, String ipv4, String ipv6, String mac) {
}
