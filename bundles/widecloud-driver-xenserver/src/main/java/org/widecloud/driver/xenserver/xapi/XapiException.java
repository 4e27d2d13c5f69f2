package org.widecloud.driver.xenserver.xapi;

import java.util.List;

/**
 * An XAPI failure: its {@code ErrorDescription}, the first element being the code ({@code HANDLE_INVALID},
 * {@code SESSION_INVALID}, {@code VM_BAD_POWER_STATE}, ...), the rest its parameters. The message is the
 * operator-readable text from {@link XapiErrors}.
 */
public class XapiException extends RuntimeException {
    private final List<String> description;

    public XapiException(List<String> description) {
        super(XapiErrors.describe(description));
        this.description = List.copyOf(description);
    }

    public String code() {
        return description.isEmpty() ? "UNKNOWN" : description.get(0);
    }

    public List<String> params() {
        return description.size() <= 1 ? List.of() : description.subList(1, description.size());
    }

    public List<String> description() {
        return description;
    }

    public boolean is(String errorCode) {
        return code().equals(errorCode);
    }
}
