package org.widecloud.api.service;

import org.widecloud.api.model.Image;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface ImageService {
    Image create(String user, Requests.ImageCreate request);

    /** P2V and foreign images: converts raw/qcow2/vmdk to qcow2 with qemu-img and registers the result. */
    Image importImage(String user, Requests.ImageImport request);

    /**
     * A URL-less upload: the image's bytes come with the request (raw, qcow2 or vmdk; detected when
     * {@code format} is null), are converted to qcow2 like an import and registered as {@code name}.
     */
    Image upload(String user, String name, String format, java.io.InputStream data);

    Image get(String ref);

    Page<Image> list(PageRequest page);

    Image update(String user, String ref, Requests.ImageUpdate request);

    /** Refused while VMs or volumes use the image. */
    void delete(String user, String ref);
}
