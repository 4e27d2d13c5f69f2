package org.widecloud.api.model;

/** An installed backend: {@code kind} is {@code hypervisor}, {@code mobility} or {@code storage}. */
public record DriverInfo(String kind, String type, String bundle, String version) {
}
