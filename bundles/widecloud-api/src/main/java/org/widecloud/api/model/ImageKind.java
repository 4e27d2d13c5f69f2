package org.widecloud.api.model;

public enum ImageKind {
    DISK, KERNEL
}
