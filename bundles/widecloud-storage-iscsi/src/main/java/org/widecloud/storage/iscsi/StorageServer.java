package org.widecloud.storage.iscsi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostExecutor;

/**
 * The commands this backend runs on a storage server, as argument vectors: tgtadm for targets, LUNs, accounts and
 * ACLs; qemu-img, df, mkdir, rm, stat for the backing files. The CHAP secret is one argument of one command
 * (tgtadm has no other way to take it); that command's failures are reported with the secret masked.
 */
final class StorageServer {
    static final Duration TGTADM = Duration.ofSeconds(30);
    static final Duration FILE_OP = Duration.ofSeconds(60);
    /** A conversion copies a whole image. */
    static final Duration CONVERT = Duration.ofMinutes(30);
    static final String MASK = "******";

    private final HostExecutor exec;
    private final String where;

    StorageServer(HostExecutor exec, String where) {
        this.exec = exec;
        this.where = where;
    }

    // ---- tgtd ---------------------------------------------------------------------------------------------

    /** Fails naming the server when tgtd does not answer. */
    void checkTgtd() {
        HostExecutor.Result r = exec.run(tgtadm("--mode", "system", "--op", "show"), TGTADM);
        if (r.exitCode() != 0) {
            throw new DriverException(where + ": tgtd does not answer (is it running? tgtd --iscsi "
                    + "portal=ADDRESS:3260): " + r.stderr().strip(), null);
        }
    }

    TgtTargets targets() {
        return TgtTargets.parse(check(tgtadm("--mode", "target", "--op", "show"), TGTADM).stdout());
    }

    /** Creates target {@code tid}; false when the tid was taken meanwhile (by another controller or by hand). */
    boolean newTarget(int tid, String name) {
        HostExecutor.Result r = exec.run(tgtadm("--mode", "target", "--op", "new", "--tid", Integer.toString(tid),
                "--targetname", name), TGTADM);
        if (r.exitCode() != 0 && r.stderr().toLowerCase(Locale.ROOT).contains("already exists")) {
            return false;
        }
        fail(r, tgtadm("--mode", "target", "--op", "new", "--tid", Integer.toString(tid), "--targetname", name));
        return true;
    }

    void newLun(int tid, String file) {
        check(tgtadm("--mode", "logicalunit", "--op", "new", "--tid", Integer.toString(tid), "--lun", "1",
                "--backing-store", file, "--bstype", "rdwr"), TGTADM);
    }

    void deleteLun(int tid) {
        check(tgtadm("--mode", "logicalunit", "--op", "delete", "--tid", Integer.toString(tid), "--lun", "1"),
                TGTADM);
    }

    /** Without --force: tgtd refuses while an initiator is logged in. */
    void deleteTarget(int tid) {
        HostExecutor.Result r = exec.run(tgtadm("--mode", "target", "--op", "delete", "--tid",
                Integer.toString(tid)), TGTADM);
        if (r.exitCode() != 0 && r.stderr().toLowerCase(Locale.ROOT).contains("can't find")) {
            return;
        }
        fail(r, tgtadm("--mode", "target", "--op", "delete", "--tid", Integer.toString(tid)));
    }

    void bindAccount(int tid, String user) {
        HostExecutor.Result r = exec.run(tgtadm("--mode", "account", "--op", "bind", "--tid", Integer.toString(tid),
                "--user", user), TGTADM);
        if (r.exitCode() != 0 && r.stderr().toLowerCase(Locale.ROOT).contains("already exists")) {
            return;
        }
        fail(r, tgtadm("--mode", "account", "--op", "bind", "--tid", Integer.toString(tid), "--user", user));
    }

    void bindInitiator(int tid, String address) {
        check(tgtadm("--mode", "target", "--op", "bind", "--tid", Integer.toString(tid), "--initiator-address",
                address), TGTADM);
    }

    /** The account's names as tgtd lists them. */
    List<String> accounts() {
        String out = check(tgtadm("--mode", "account", "--op", "show"), TGTADM).stdout();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(" ") && !line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    void deleteAccount(String user) {
        check(tgtadm("--mode", "account", "--op", "delete", "--user", user), TGTADM);
    }

    /** The one command that carries the secret: every message about it shows {@value #MASK} in its place. */
    void newAccount(String user, String secret) {
        List<String> shown = tgtadm("--mode", "account", "--op", "new", "--user", user, "--password", MASK);
        HostExecutor.Result r;
        try {
            r = exec.run(tgtadm("--mode", "account", "--op", "new", "--user", user, "--password", secret), TGTADM);
        } catch (RuntimeException e) {
            // The executor's message quotes the command (over SSH even re-quoted, so no search-and-replace is
            // safe): neither it nor its cause may travel on. checkTgtd() ran just before and reports the usual
            // causes (no connection, no tgtd) with their own messages.
            throw new DriverException(where + ": " + String.join(" ", shown) + " could not run ("
                    + e.getClass().getSimpleName() + "; details withheld because they quote the CHAP secret)", null);
        }
        if (r.exitCode() != 0) {
            throw new DriverException(where + ": " + String.join(" ", shown) + " exited " + r.exitCode() + ": "
                    + r.stderr().replace(secret, MASK).strip(), null);
        }
    }

    // ---- files --------------------------------------------------------------------------------------------

    void mkdirs(String dir) {
        check(List.of("mkdir", "-p", "-m", "0700", dir), FILE_OP);
    }

    void createRaw(String file, long size) {
        check(List.of("qemu-img", "create", "-q", "-f", "raw", file, Long.toString(size)), FILE_OP);
    }

    void convertToRaw(String image, String imageFormat, String file) {
        check(List.of("qemu-img", "convert", "-q", "-f", imageFormat, "-O", "raw", image, file), CONVERT);
    }

    void growRaw(String file, long size) {
        check(List.of("qemu-img", "resize", "-q", "-f", "raw", file, Long.toString(size)), FILE_OP);
    }

    /** The virtual size of an image file, from {@code qemu-img info --output=json}. */
    long virtualSize(String image, String format) {
        String json = check(List.of("qemu-img", "info", "-f", format, "--output=json", image), FILE_OP).stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"virtual-size\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new DriverException(where + ": qemu-img info " + image + " reported no virtual-size", null);
        }
        return Long.parseLong(m.group(1));
    }

    /** Size in bytes; -1 when the file does not exist. */
    long fileSize(String file) {
        HostExecutor.Result r = exec.run(List.of("stat", "-c", "%s", file), FILE_OP);
        if (r.exitCode() != 0) {
            if (r.stderr().contains("No such file")) {
                return -1;
            }
            fail(r, List.of("stat", "-c", "%s", file));
        }
        return Long.parseLong(r.stdout().strip());
    }

    /** Names of the plain files directly in {@code dir} ({@code find}, no shell, no glob). */
    List<String> files(String dir) {
        String out = check(List.of("find", dir, "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-printf",
                "%f\\n"), FILE_OP).stdout();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    void remove(String file) {
        check(List.of("rm", "-f", file), FILE_OP);
    }

    /** Size and use of the file system holding {@code dir}: {@code df -B1 --output=size,used}. */
    long[] df(String dir) {
        String out = check(List.of("df", "-B1", "--output=size,used", dir), FILE_OP).stdout();
        String[] lines = out.strip().split("\n");
        String[] f = lines[lines.length - 1].strip().split("\\s+");
        try {
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (RuntimeException e) {
            throw new DriverException(where + ": cannot read df's answer for " + dir + ": " + out.strip(), e);
        }
    }

    @Override
    public String toString() {
        return where;
    }

    private static List<String> tgtadm(String... args) {
        List<String> argv = new ArrayList<>(List.of("tgtadm", "--lld", "iscsi"));
        argv.addAll(List.of(args));
        return argv;
    }

    private HostExecutor.Result check(List<String> argv, Duration timeout) {
        HostExecutor.Result r = exec.run(argv, timeout);
        fail(r, argv);
        return r;
    }

    private void fail(HostExecutor.Result r, List<String> argv) {
        if (r.exitCode() != 0) {
            throw new DriverException(where + ": " + String.join(" ", argv) + " exited " + r.exitCode() + ": "
                    + r.stderr().strip(), null);
        }
    }
}
