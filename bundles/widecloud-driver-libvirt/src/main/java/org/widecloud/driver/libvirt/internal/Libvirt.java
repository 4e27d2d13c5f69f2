package org.widecloud.driver.libvirt.internal;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** libvirt error helpers. */
public final class Libvirt {
    private Libvirt() {
    }

    public static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }

    /** libvirt's own message, which operators recognise from virsh and the logs. */
    public static String message(LibvirtException e) {
        String m = e.getError() == null ? null : e.getError().getMessage();
        return m == null || m.isBlank() ? String.valueOf(e.getMessage()) : m;
    }

    public static boolean noDomain(LibvirtException e) {
        return code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    public static boolean operationInvalid(LibvirtException e) {
        return code(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID;
    }

    public static boolean unsupported(LibvirtException e) {
        ErrorNumber c = code(e);
        return c == ErrorNumber.VIR_ERR_INVALID_ARG || c == ErrorNumber.VIR_ERR_NO_SUPPORT
                || c == ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED;
    }

    /** Errors that mean the connection, not the operation, failed. */
    public static boolean connectionLost(LibvirtException e) {
        ErrorNumber c = code(e);
        return c == ErrorNumber.VIR_ERR_SYSTEM_ERROR || c == ErrorNumber.VIR_ERR_RPC
                || c == ErrorNumber.VIR_ERR_NO_CONNECT || c == ErrorNumber.VIR_ERR_INVALID_CONN;
    }
}
