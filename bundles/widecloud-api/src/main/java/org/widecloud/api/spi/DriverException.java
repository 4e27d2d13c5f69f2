package org.widecloud.api.spi;

/** A driver's failure, with a message an operator understands (the hypervisor's own message included). */
public class DriverException extends RuntimeException {
    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
