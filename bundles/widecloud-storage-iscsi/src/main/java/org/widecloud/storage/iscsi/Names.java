package org.widecloud.storage.iscsi;

import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/**
 * Names the backend derives from widecloud ids: target names and backing files. An id is lower-case letters,
 * digits and dashes (a UUID), so a name built from it can hold neither a path separator nor a leading option dash.
 */
final class Names {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private Names() {
    }

    static String id(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ValidationException(field, "'" + id + "' is not a widecloud id (1-64 of a-z 0-9 -, starting "
                    + "with a letter or digit)");
        }
        return id;
    }

    static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /** {@code <dir>/<volume id>.img}, checked to stay directly inside {@code dir}. */
    static String backingFile(String dir, String volumeId) {
        String file = dir + "/" + id("volumeId", volumeId) + ".img";
        if (!inside(dir, file)) {
            throw new ValidationException("volumeId", "'" + volumeId + "' leads outside the pool directory");
        }
        return file;
    }

    /** Whether {@code file} is a plain entry of directory {@code dir} (no '..', no deeper path). */
    static boolean inside(String dir, String file) {
        if (file == null || !file.startsWith(dir + "/")) {
            return false;
        }
        String rest = file.substring(dir.length() + 1);
        return !rest.isEmpty() && !rest.contains("/") && !rest.equals("..") && !rest.equals(".");
    }
}
