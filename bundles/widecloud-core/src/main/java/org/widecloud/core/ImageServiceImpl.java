package org.widecloud.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.store.CloudStore;

/**
 * Images by path. A disk image is checked with {@code qemu-img info} on the controller when it is registered
 * (format, virtual size, sha256), so its file must be readable here: on the controller's machine or on
 * storage it shares with the hosts. Kernel images are checked by form only. An import converts a file to
 * qcow2 in the controller's image folder ({@link ImagesConfig}), which then owns that file.
 */
@Component(service = ImageService.class, configurationPid = ImagesConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ImagesConfig.class)
public class ImageServiceImpl implements ImageService {
    private static final Logger LOG = LoggerFactory.getLogger(ImageServiceImpl.class);
    private static final String KARAF_DATA = "${karaf.data}";

    private final CloudStore store;
    private final Audit audit;
    private final QemuImg qemuImg;
    private final ImageFiles files;
    private final Path directory;

    @Activate
    public ImageServiceImpl(@Reference CloudStore store, @Reference Audit audit, ImagesConfig config) {
        this(store, audit, directory(config.images_directory()), new QemuImg(config.qemu_img(),
                Duration.ofSeconds(config.info_timeout_seconds()),
                Duration.ofSeconds(config.convert_timeout_seconds())));
    }

    /** With the defaults: imports go to {@code ${karaf.data}/images}. */
    public ImageServiceImpl(CloudStore store, Audit audit) {
        this(store, audit, directory(KARAF_DATA + "/images"));
    }

    /** With the defaults but imports going to {@code directory}. */
    public ImageServiceImpl(CloudStore store, Audit audit, Path directory) {
        this(store, audit, directory, new QemuImg("qemu-img", Duration.ofSeconds(60), Duration.ofHours(1)));
    }

    ImageServiceImpl(CloudStore store, Audit audit, Path directory, QemuImg qemuImg) {
        this.store = store;
        this.audit = audit;
        this.qemuImg = qemuImg;
        this.files = new ImageFiles(qemuImg);
        this.directory = directory.toAbsolutePath().normalize();
    }

    private static Path directory(String configured) {
        String data = System.getProperty("karaf.data");
        return Path.of(configured.replace(KARAF_DATA, data == null || data.isBlank() ? "./data" : data));
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
            requireFreeName(name);
            ImageFiles.Probed probed = files.probe(path, r.format(), ImageFiles.DISK_FORMATS);
            image = new Image(id, name, ImageKind.DISK, path, probed.format(), null, null, null, now(), 0,
                    probed.virtualSizeBytes(), ImageFiles.sha256(probed.file()));
        } else if (r.kernel() != null || r.initrd() != null) {
            String kernel = Names.path("kernel", r.kernel());
            String initrd = Names.path("initrd", r.initrd());
            String cmdline = Names.text("cmdline", r.cmdline(), 1024);
            if (r.format() != null) {
                throw new ValidationException("format", "applies to disk images only");
            }
            requireFreeName(name);
            image = new Image(id, name, ImageKind.KERNEL, null, null, kernel, initrd, cmdline, now(), 0);
        } else {
            throw new ValidationException("path", "is required (or kernel and initrd for direct kernel boot)");
        }
        StoreErrors.run("image", () -> store.insertImage(image));
        audit.record(user, "image.create", "image", image.id(), name);
        return image;
    }

    @Override
    public Image importImage(String user, Requests.ImageImport r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        String path = Names.path("path", r.path());
        requireFreeName(name);
        return convertAndRegister(user, name, path, r.format(), path);
    }

    @Override
    public Image upload(String user, String name, String format, java.io.InputStream data) {
        String checkedName = Names.name("name", name);
        requireFreeName(checkedName);
        if (data == null) {
            throw new ValidationException("body", "is required: the image's bytes");
        }
        Path received = directory.resolve(UUID.randomUUID() + ".upload.part");
        try {
            Files.createDirectories(directory);
            long bytes = Files.copy(data, received);
            if (bytes == 0) {
                throw new ValidationException("body", "is empty: send the image's bytes");
            }
            return convertAndRegister(user, checkedName, received.toString(), format, "an upload of " + bytes
                    + " bytes");
        } catch (ValidationException e) {
            if (!"path".equals(e.field())) {
                throw e;
            }
            // The client sent bytes, not a path: the refusal names the body, never the controller's spool file.
            String why = e.getMessage().replace(received.toString(), "the uploaded data");
            throw new ValidationException("body", why.startsWith("path: ") ? why.substring(6) : why);
        } catch (IOException e) {
            throw new BackendException("cannot receive the uploaded image into " + directory + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(received);
        }
    }

    /** Converts a raw/qcow2/vmdk file to qcow2 in the image folder and registers it; nothing is left on failure. */
    private Image convertAndRegister(String user, String name, String path, String format, String from) {
        ImageFiles.Probed source = files.probe(path, format, ImageFiles.IMPORT_FORMATS);
        String id = UUID.randomUUID().toString();
        Path target = directory.resolve(id + ".qcow2");
        Path partial = directory.resolve(id + ".qcow2.part");
        boolean registered = false;
        try {
            Files.createDirectories(directory);
            qemuImg.convertToQcow2(source.file(), source.format(), partial);
            long virtualSize = qemuImg.info(partial).virtualSizeBytes();
            String checksum = ImageFiles.sha256(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Image image = new Image(id, name, ImageKind.DISK, target.toString(), "qcow2", null, null, null,
                    now(), 0, virtualSize, checksum);
            StoreErrors.run("image", () -> store.insertImage(image));
            registered = true;
            audit.record(user, "image.import", "image", id, name + " from " + source.format() + " " + from);
            return image;
        } catch (QemuImg.Refused e) {
            throw new BackendException("qemu-img could not convert the " + source.format() + " image: "
                    + e.getMessage(), null);
        } catch (IOException e) {
            throw new BackendException("cannot write the imported image to " + directory + ": " + e.getMessage(), e);
        } finally {
            if (!registered) {
                deleteQuietly(partial);
                deleteQuietly(target);
            }
        }
    }

    /** Microseconds, what the stores keep: the record returned equals the one read back. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void requireFreeName(String name) {
        if (store.imageByName(name).isPresent()) {
            throw new ConflictException("name", "an image named '" + name + "' exists already");
        }
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
        if (!name.equals(i.name())) {
            requireFreeName(name);
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
                i.path(), i.format(), i.kernel(), i.initrd(), c, i.created(), i.version(), i.virtualSizeBytes(),
                i.checksum())));
        audit.record(user, "image.update", "image", i.id(), name);
        return updated;
    }

    @Override
    public void delete(String user, String ref) {
        Image i = get(ref);
        long volumes = store.countVolumes(new CloudStore.VolumeFilter(null, null, i.id()));
        if (volumes > 0) {
            throw new ConflictException("image", "image '" + i.name() + "' is the base of " + volumes
                    + " volume(s)");
        }
        long vms = store.countVms(new CloudStore.VmFilter(null, null, i.id(), null));
        if (vms > 0) {
            throw new ConflictException("image", "image '" + i.name() + "' is used by " + vms + " VM(s)");
        }
        store.deleteImage(i.id());
        audit.record(user, "image.delete", "image", i.id(), i.name());
        // An imported image's file is the controller's own: it goes with the record.
        Path imported = directory.resolve(i.id() + ".qcow2");
        if (i.path() != null && Path.of(i.path()).equals(imported)) {
            deleteQuietly(imported);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }
}
