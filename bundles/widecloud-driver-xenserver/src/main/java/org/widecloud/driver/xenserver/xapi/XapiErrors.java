package org.widecloud.driver.xenserver.xapi;

import java.util.List;

/** XAPI error codes in words an operator understands; the code itself always stays in the message. */
public final class XapiErrors {
    public static final String SESSION_INVALID = "SESSION_INVALID";
    public static final String SESSION_AUTHENTICATION_FAILED = "SESSION_AUTHENTICATION_FAILED";
    public static final String HANDLE_INVALID = "HANDLE_INVALID";
    public static final String UUID_INVALID = "UUID_INVALID";
    public static final String VM_BAD_POWER_STATE = "VM_BAD_POWER_STATE";
    public static final String HOST_IS_SLAVE = "HOST_IS_SLAVE";
    public static final String EVENTS_LOST = "EVENTS_LOST";

    private XapiErrors() {
    }

    static String describe(List<String> d) {
        if (d.isEmpty()) {
            return "XAPI failure without a description";
        }
        String code = d.get(0);
        String text = switch (code) {
            case SESSION_INVALID -> "the XAPI session is no longer valid (expired, logged out or the host restarted)";
            case SESSION_AUTHENTICATION_FAILED -> "login refused: wrong user name or password"
                    + (d.size() > 2 ? " (" + d.get(2) + ")" : "");
            case HANDLE_INVALID -> "the " + p(d, 1, "object") + " referenced does not exist (any more)";
            case UUID_INVALID -> "no " + p(d, 1, "object") + " with uuid " + p(d, 2, "?");
            case VM_BAD_POWER_STATE -> "the VM is " + p(d, 3, "in another power state") + " but the operation needs it "
                    + p(d, 2, "in another power state");
            case HOST_IS_SLAVE -> "this host is not the pool master: connect to the master " + p(d, 1, "?") + " instead";
            case "HOST_NOT_ENOUGH_FREE_MEMORY" -> "the host has not enough free memory (needs " + p(d, 1, "?")
                    + " bytes, has " + p(d, 2, "?") + ")";
            case "MESSAGE_METHOD_UNKNOWN" -> "the server does not know the call " + p(d, 1, "?");
            case "MESSAGE_PARAMETER_COUNT_MISMATCH" -> "call " + p(d, 1, "?") + " takes " + p(d, 2, "?")
                    + " parameters, got " + p(d, 3, "?");
            case "FIELD_TYPE_ERROR" -> "field " + p(d, 1, "?") + " is missing or has the wrong type";
            case "VM_MIGRATE_FAILED" -> "migration failed: " + p(d, 4, "no reason given");
            case "VM_IS_TEMPLATE" -> "the VM is a template";
            case "OPERATION_NOT_ALLOWED" -> "operation not allowed: " + p(d, 1, "no reason given");
            case "HOST_OFFLINE" -> "the host is offline";
            case "NO_HOSTS_AVAILABLE" -> "no host can run the VM";
            case "VM_SHUTDOWN_TIMEOUT" -> "the guest did not shut down in time";
            case "TASK_CANCELLED" -> "the task was cancelled";
            case EVENTS_LOST -> "events were lost; states are read again";
            default -> String.join(" ", d.subList(1, d.size()));
        };
        return code + ": " + text;
    }

    private static String p(List<String> d, int i, String fallback) {
        return d.size() > i && !d.get(i).isEmpty() ? d.get(i) : fallback;
    }
}
