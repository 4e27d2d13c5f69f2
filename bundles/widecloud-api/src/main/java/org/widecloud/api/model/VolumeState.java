package org.widecloud.api.model;

public enum VolumeState {
    CREATING, AVAILABLE, IN_USE, DELETING, ERROR
}
