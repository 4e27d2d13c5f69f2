package org.widecloud.driver.libvirt.internal;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads libvirt's capabilities document. */
public final class CapabilitiesXml {
    private CapabilitiesXml() {
    }

    /** True when a {@code <guest>} of {@code osType} on the host's own arch lists {@code <domain type=...>}. */
    public static boolean offers(String capabilitiesXml, String osType, String domainType) {
        if (capabilitiesXml == null || capabilitiesXml.isBlank()) {
            return false;
        }
        Document doc = SafeXml.parse(capabilitiesXml);
        String hostArch = firstText(doc.getDocumentElement(), "host", "cpu", "arch");
        NodeList guests = doc.getElementsByTagName("guest");
        for (int i = 0; i < guests.getLength(); i++) {
            Element guest = (Element) guests.item(i);
            if (!osType.equals(firstText(guest, "os_type"))) {
                continue;
            }
            NodeList arches = guest.getElementsByTagName("arch");
            for (int a = 0; a < arches.getLength(); a++) {
                Element arch = (Element) arches.item(a);
                if (hostArch != null && !hostArch.equals(arch.getAttribute("name"))) {
                    continue;
                }
                NodeList domains = arch.getElementsByTagName("domain");
                for (int d = 0; d < domains.getLength(); d++) {
                    if (domainType.equals(((Element) domains.item(d)).getAttribute("type"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String firstText(Element from, String... path) {
        Element e = from;
        for (String name : path) {
            Element next = null;
            for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            e = next;
        }
        return e.getTextContent().trim();
    }
}
