package org.widecloud.api.service;

import java.util.List;

import org.widecloud.api.model.DriverInfo;

/** What backends are installed right now. */
public interface DriverService {
    List<DriverInfo> list();
}
