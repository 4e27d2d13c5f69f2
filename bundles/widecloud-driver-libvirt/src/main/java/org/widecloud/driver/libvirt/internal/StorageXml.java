package org.widecloud.driver.libvirt.internal;

import static org.widecloud.driver.libvirt.internal.SafeXml.child;
import static org.widecloud.driver.libvirt.internal.SafeXml.text;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** libvirt storage pool and volume XML, built and read with the JDK DOM (values are text or attributes). */
public final class StorageXml {
    private StorageXml() {
    }

    /** {@code <pool type='dir'>} at {@code path}. */
    public static String dirPool(String name, String path) {
        Document doc = SafeXml.builder().newDocument();
        Element pool = doc.createElement("pool");
        pool.setAttribute("type", "dir");
        doc.appendChild(pool);
        text(pool, "name", name);
        Element target = child(pool, "target");
        text(target, "path", path);
        return SafeXml.write(doc);
    }

    /**
     * A file volume of {@code capacity} bytes in {@code format}, sparse (allocation 0); with a backing file when
     * {@code backingPath} is set (a copy-on-write overlay: only qcow2 can carry one).
     */
    public static String volume(String name, long capacity, String format, String backingPath, String backingFormat) {
        Document doc = SafeXml.builder().newDocument();
        Element volume = doc.createElement("volume");
        volume.setAttribute("type", "file");
        doc.appendChild(volume);
        text(volume, "name", name);
        text(volume, "capacity", Long.toString(capacity)).setAttribute("unit", "bytes");
        text(volume, "allocation", "0").setAttribute("unit", "bytes");
        child(child(volume, "target"), "format").setAttribute("type", format);
        if (backingPath != null) {
            Element backing = child(volume, "backingStore");
            text(backing, "path", backingPath);
            child(backing, "format").setAttribute("type", backingFormat);
        }
        return SafeXml.write(doc);
    }

    /** The text of the first element at {@code path} (element names from the root down), or null. */
    public static String read(String xml, String... path) {
        Element e = locate(xml, path);
        return e == null ? null : e.getTextContent().trim();
    }

    /** An attribute of the first element at {@code path}, or null. */
    public static String attribute(String xml, String attribute, String... path) {
        Element e = locate(xml, path);
        return e == null || e.getAttribute(attribute).isEmpty() ? null : e.getAttribute(attribute);
    }

    private static Element locate(String xml, String... path) {
        Node node = SafeXml.parse(xml).getDocumentElement();
        for (String name : path) {
            node = firstChild(node, name);
            if (node == null) {
                return null;
            }
        }
        return (Element) node;
    }

    private static Node firstChild(Node parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element && name.equals(n.getNodeName())) {
                return n;
            }
        }
        return null;
    }

}
