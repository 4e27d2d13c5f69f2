package org.widecloud.api.service;

import org.widecloud.api.model.Image;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface ImageService {
    Image create(String user, Requests.ImageCreate request);

    /** P2V and foreign images: converts raw/qcow2/vmdk to qcow2 with qemu-img and registers the result. */
    Image importImage(String user, Requests.ImageImport request);

    Image get(String ref);

    Page<Image> list(PageRequest page);

    Image update(String user, String ref, Requests.ImageUpdate request);

    /** Refused while VMs or volumes use the image. */
    void delete(String user, String ref);
}
