package org.widecloud.api.service;

import org.widecloud.api.model.Image;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface ImageService {
    Image create(String user, Requests.ImageCreate request);

    Image get(String ref);

    Page<Image> list(PageRequest page);

    Image update(String user, String ref, Requests.ImageUpdate request);

    /** Refused while VMs use the image. */
    void delete(String user, String ref);
}
