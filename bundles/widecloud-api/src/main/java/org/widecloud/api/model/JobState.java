package org.widecloud.api.model;

public enum JobState {
    PENDING, RUNNING, SUCCEEDED, FAILED
}
