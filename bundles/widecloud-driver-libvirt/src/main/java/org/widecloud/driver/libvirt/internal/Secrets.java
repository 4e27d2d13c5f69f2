package org.widecloud.driver.libvirt.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;
import org.libvirt.SecretUsageType;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * libvirt secrets for network disk credentials, found by their usage name. The value is set with
 * {@code virSecretSetValue} and never logged or put into a message. The secret is not private: a live migration
 * reads it at the source to define it at the target before the domain arrives there (whoever may use libvirt on a
 * host may also start domains that read it, and root reads the host's secret files anyway).
 */
public final class Secrets {
    private Secrets() {
    }

    /** Defines the secret {@code usage} of {@code type} ("iscsi", "ceph") if missing and sets its value. */
    public static void define(Connect conn, String type, String usage, String value) throws LibvirtException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            define(conn, type, usage, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public static void define(Connect conn, String type, String usage, byte[] value) throws LibvirtException {
        Secret secret = find(conn, type, usage);
        if (secret == null) {
            secret = conn.secretDefineXML(xml(type, usage));
        }
        secret.setValue(value);
    }

    /** The secret's value, or null when the host has no such secret. */
    public static byte[] value(Connect conn, String type, String usage) throws LibvirtException {
        Secret secret = find(conn, type, usage);
        return secret == null ? null : secret.getByteValue();
    }

    /** The (type, usage) of every secret a domain's disks name in {@code <auth><secret type usage/>}. */
    public static java.util.List<String[]> usedBy(String domainXml) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        org.w3c.dom.NodeList secrets = SafeXml.parse(domainXml).getElementsByTagName("secret");
        for (int i = 0; i < secrets.getLength(); i++) {
            Element e = (Element) secrets.item(i);
            if ("auth".equals(e.getParentNode().getNodeName()) && !e.getAttribute("usage").isEmpty()) {
                out.add(new String[] {e.getAttribute("type"), e.getAttribute("usage")});
            }
        }
        return out;
    }

    /** Removes the secret {@code usage} of {@code type}; no error when there is none. */
    public static boolean undefine(Connect conn, String type, String usage) throws LibvirtException {
        Secret secret = find(conn, type, usage);
        if (secret == null) {
            return false;
        }
        secret.undefine();
        return true;
    }

    /** libvirt-java 0.5.3 has no virSecretLookupByUsage: walk the (few) secrets of the host. */
    public static Secret find(Connect conn, String type, String usage) throws LibvirtException {
        SecretUsageType wanted = usageType(type);
        for (String uuid : conn.listSecrets()) {
            Secret s;
            try {
                s = conn.secretLookupByUUIDString(uuid);
            } catch (LibvirtException e) {
                if (Libvirt.code(e) == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_SECRET) {
                    continue; // removed meanwhile
                }
                throw e;
            }
            if (usage.equals(s.getUsageID()) && usageType(s) == wanted) {
                return s;
            }
        }
        return null;
    }

    static String xml(String type, String usage) {
        Document doc = SafeXml.builder().newDocument();
        Element secret = doc.createElement("secret");
        secret.setAttribute("ephemeral", "no");
        secret.setAttribute("private", "no");
        doc.appendChild(secret);
        SafeXml.text(secret, "description", "widecloud: credentials of network disks");
        Element u = SafeXml.child(secret, "usage");
        u.setAttribute("type", type);
        SafeXml.text(u, "ceph".equals(type) ? "name" : "target", usage);
        return SafeXml.write(doc);
    }

    private static SecretUsageType usageType(Secret s) throws LibvirtException {
        try {
            return s.getUsageType();
        } catch (RuntimeException newerThanLibvirtJava) {
            return SecretUsageType.UNKNOWN; // tls, vtpm: never ours
        }
    }

    private static SecretUsageType usageType(String type) {
        return switch (type) {
            case "iscsi" -> SecretUsageType.ISCSI;
            case "ceph" -> SecretUsageType.CEPH;
            default -> throw new IllegalArgumentException("secret type " + type);
        };
    }
}
