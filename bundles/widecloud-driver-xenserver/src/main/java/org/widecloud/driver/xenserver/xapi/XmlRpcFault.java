package org.widecloud.driver.xenserver.xapi;

/** An XML-RPC {@code <fault>} (XAPI itself answers errors as Status=Failure, not as faults). */
public class XmlRpcFault extends RuntimeException {
    private final String code;

    public XmlRpcFault(String code, String message) {
        super("XML-RPC fault " + code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
