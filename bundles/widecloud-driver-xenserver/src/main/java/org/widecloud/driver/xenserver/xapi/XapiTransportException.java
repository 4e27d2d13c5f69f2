package org.widecloud.driver.xenserver.xapi;

/** The XAPI server could not be reached or answered something that is not XAPI (TLS, HTTP status, XML). */
public class XapiTransportException extends RuntimeException {
    public XapiTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
