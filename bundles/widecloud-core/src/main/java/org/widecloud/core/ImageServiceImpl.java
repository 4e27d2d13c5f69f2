package org.widecloud.core;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.store.CloudStore;

/**
 * Images by reference: the files live on the hosts (or storage they share), so the controller checks the
 * paths' form, not their existence; a wrong path shows when a VM using it is defined.
 */
@Component(service = ImageService.class)
public class ImageServiceImpl implements ImageService {
    private final CloudStore store;
    private final Audit audit;

    @Activate
    public ImageServiceImpl(@Reference CloudStore store, @Reference Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    @Override
    public Image create(String user, Requests.ImageCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        Image image;
        String id = UUID.randomUUID().toString();
        if (r.path() != null) {
            if (r.kernel() != null || r.initrd() != null || r.cmdline() != null) {
                throw new ValidationException("path", "give either path, or kernel and initrd, not both");
            }
            String path = Names.path("path", r.path());
            image = new Image(id, name, ImageKind.DISK, path, format(r.format(), path), null, null, null,
                    Instant.now(), 0);
        } else if (r.kernel() != null || r.initrd() != null) {
            String kernel = Names.path("kernel", r.kernel());
            String initrd = Names.path("initrd", r.initrd());
            String cmdline = Names.text("cmdline", r.cmdline(), 1024);
            if (r.format() != null) {
                throw new ValidationException("format", "applies to disk images only");
            }
            image = new Image(id, name, ImageKind.KERNEL, null, null, kernel, initrd, cmdline, Instant.now(), 0);
        } else {
            throw new ValidationException("path", "is required (or kernel and initrd for direct kernel boot)");
        }
        if (store.imageByName(name).isPresent()) {
            throw new ConflictException("name", "an image named '" + name + "' exists already");
        }
        StoreErrors.run("image", () -> store.insertImage(image));
        audit.record(user, "image.create", "image", image.id(), name);
        return image;
    }

    private static String format(String given, String path) {
        if (given == null) {
            return path.toLowerCase(Locale.ROOT).endsWith(".qcow2") ? "qcow2" : "raw";
        }
        String f = given.toLowerCase(Locale.ROOT);
        if (!f.equals("raw") && !f.equals("qcow2")) {
            throw new ValidationException("format", "'" + Names.printable(given) + "' is not raw or qcow2");
        }
        return f;
    }

    @Override
    public Image get(String ref) {
        return Refs.path("image", ref, store::image, store::imageByName);
    }

    @Override
    public Page<Image> list(PageRequest page) {
        return store.images(page);
    }

    @Override
    public Image update(String user, String ref, Requests.ImageUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Image i = get(ref);
        StoreErrors.expectVersion("image", r.version(), i.version());
        String name = r.name() == null ? i.name() : Names.name("name", r.name());
        if (!name.equals(i.name()) && store.imageByName(name).isPresent()) {
            throw new ConflictException("name", "an image named '" + name + "' exists already");
        }
        String cmdline = i.cmdline();
        if (r.cmdline() != null) {
            if (i.kind() != ImageKind.KERNEL) {
                throw new ValidationException("cmdline", "applies to kernel images only");
            }
            cmdline = Names.text("cmdline", r.cmdline(), 1024);
        }
        String c = cmdline;
        Image updated = StoreErrors.translate("image", () -> store.updateImage(new Image(i.id(), name, i.kind(),
                i.path(), i.format(), i.kernel(), i.initrd(), c, i.created(), i.version())));
        audit.record(user, "image.update", "image", i.id(), name);
        return updated;
    }

    @Override
    public void delete(String user, String ref) {
        Image i = get(ref);
        long vms = store.countVms(new CloudStore.VmFilter(null, null, i.id(), null));
        if (vms > 0) {
            throw new ConflictException("image", "image '" + i.name() + "' is used by " + vms + " VM(s)");
        }
        store.deleteImage(i.id());
        audit.record(user, "image.delete", "image", i.id(), i.name());
    }

    @Override
    public Image importImage(String user, Requests.ImageImport request) {
        throw new ConflictException("path", "image import is not available yet");
    }
}
