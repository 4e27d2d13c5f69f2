package org.widecloud.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of image registration and import, PID {@code org.widecloud.images}. */
@ObjectClassDefinition(name = "widecloud images", description = "Image detection and import with qemu-img")
public @interface ImagesConfig {
    String PID = "org.widecloud.images";

    @AttributeDefinition(description = "Folder of imported images (qcow2 files named from the image id); "
            + "${karaf.data} is replaced by Karaf's data folder")
    String images_directory() default "${karaf.data}/images";

    @AttributeDefinition(description = "The qemu-img program (a name on PATH or an absolute path)")
    String qemu_img() default "qemu-img";

    @AttributeDefinition(description = "Seconds 'qemu-img info' may take on one image")
    int info_timeout_seconds() default 60;

    @AttributeDefinition(description = "Seconds 'qemu-img convert' may take on one import")
    int convert_timeout_seconds() default 3600;
}
