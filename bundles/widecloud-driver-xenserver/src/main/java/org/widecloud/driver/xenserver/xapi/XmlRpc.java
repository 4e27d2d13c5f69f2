package org.widecloud.driver.xenserver.xapi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The XML-RPC codec XAPI needs: requests built as DOM trees (every string escaped by the XML writer), responses
 * parsed by a DOM parser that refuses DOCTYPEs (no entity tricks from a hostile server). Java types: String,
 * Integer/Long ({@code <int>}; XAPI's 64-bit ints travel as strings, callers pass them as String), Boolean,
 * Double, Instant ({@code dateTime.iso8601}), Map (struct, String keys), List (array). A {@code <value>} without
 * a type element is a string, as the XML-RPC spec says and XAPI sends.
 */
public final class XmlRpc {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter DATE_NO_ZONE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss");

    private XmlRpc() {
    }

    /** A {@code <methodCall>} document. */
    public static byte[] call(String method, List<?> params) {
        Document doc = newBuilder().newDocument();
        Element call = doc.createElement("methodCall");
        doc.appendChild(call);
        append(call, "methodName").setTextContent(method);
        Element ps = append(call, "params");
        for (Object p : params) {
            encode(append(append(ps, "param"), "value"), p);
        }
        return write(doc);
    }

    /** A {@code <methodResponse>} with one value (used by tests and by simulators). */
    public static byte[] response(Object value) {
        Document doc = newBuilder().newDocument();
        Element r = doc.createElement("methodResponse");
        doc.appendChild(r);
        encode(append(append(append(r, "params"), "param"), "value"), value);
        return write(doc);
    }

    /** The single value of a {@code <methodResponse>}; a {@code <fault>} becomes an {@link XmlRpcFault}. */
    public static Object parseResponse(byte[] xml) {
        Element root = parse(xml).getDocumentElement();
        if (!"methodResponse".equals(root.getTagName())) {
            throw new IllegalArgumentException("not an XML-RPC response: <" + root.getTagName() + ">");
        }
        Element fault = child(root, "fault");
        if (fault != null) {
            Object f = decode(required(fault, "value"));
            Map<?, ?> m = f instanceof Map<?, ?> map ? map : Map.of();
            throw new XmlRpcFault(String.valueOf(m.get("faultCode")), String.valueOf(m.get("faultString")));
        }
        Element param = child(required(root, "params"), "param");
        if (param == null) {
            return null;
        }
        return decode(required(param, "value"));
    }

    /** The method name and parameters of a {@code <methodCall>}. */
    public static Map.Entry<String, List<Object>> parseCall(byte[] xml) {
        Element root = parse(xml).getDocumentElement();
        if (!"methodCall".equals(root.getTagName())) {
            throw new IllegalArgumentException("not an XML-RPC call: <" + root.getTagName() + ">");
        }
        String method = required(root, "methodName").getTextContent().trim();
        List<Object> params = new ArrayList<>();
        Element ps = child(root, "params");
        if (ps != null) {
            for (Element p : children(ps, "param")) {
                params.add(decode(required(p, "value")));
            }
        }
        return Map.entry(method, params);
    }

    // ------------------------------------------------------------------ encoding

    private static void encode(Element value, Object v) {
        if (v == null) {
            throw new IllegalArgumentException("XML-RPC has no null (XAPI uses \"\" or OpaqueRef:NULL)");
        } else if (v instanceof String s) {
            append(value, "string").setTextContent(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(l + " does not fit XML-RPC's 32-bit int (pass XAPI int64 as a string)");
            }
            append(value, "int").setTextContent(Long.toString(l));
        } else if (v instanceof Boolean b) {
            append(value, "boolean").setTextContent(b ? "1" : "0");
        } else if (v instanceof Double || v instanceof Float) {
            append(value, "double").setTextContent(Double.toString(((Number) v).doubleValue()));
        } else if (v instanceof Instant i) {
            append(value, "dateTime.iso8601").setTextContent(DATE.format(i.atOffset(ZoneOffset.UTC)));
        } else if (v instanceof Map<?, ?> m) {
            Element struct = append(value, "struct");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Element member = append(struct, "member");
                append(member, "name").setTextContent(String.valueOf(e.getKey()));
                encode(append(member, "value"), e.getValue());
            }
        } else if (v instanceof List<?> l) {
            Element data = append(append(value, "array"), "data");
            for (Object o : l) {
                encode(append(data, "value"), o);
            }
        } else if (v instanceof Object[] a) {
            encode(value, List.of(a));
        } else {
            throw new IllegalArgumentException("no XML-RPC type for " + v.getClass().getName());
        }
    }

    // ------------------------------------------------------------------ decoding

    private static Object decode(Element value) {
        Element typed = firstElement(value);
        if (typed == null) {
            return value.getTextContent(); // untyped: a string
        }
        String text = typed.getTextContent();
        switch (typed.getTagName()) {
            case "string":
                return text;
            case "int":
            case "i4":
            case "i8":
                return Long.parseLong(text.trim());
            case "boolean":
                String b = text.trim();
                if (!b.equals("0") && !b.equals("1")) {
                    throw new IllegalArgumentException("boolean must be 0 or 1, got '" + b + "'");
                }
                return b.equals("1");
            case "double":
                return Double.parseDouble(text.trim());
            case "dateTime.iso8601":
                return parseDate(text.trim());
            case "struct":
                Map<String, Object> m = new LinkedHashMap<>();
                for (Element member : children(typed, "member")) {
                    m.put(required(member, "name").getTextContent(), decode(required(member, "value")));
                }
                return m;
            case "array":
                List<Object> l = new ArrayList<>();
                Element data = child(typed, "data");
                if (data != null) {
                    for (Element v : children(data, "value")) {
                        l.add(decode(v));
                    }
                }
                return l;
            case "nil":
                return null;
            default:
                throw new IllegalArgumentException("unknown XML-RPC type <" + typed.getTagName() + ">");
        }
    }

    private static Instant parseDate(String s) {
        try {
            if (s.endsWith("Z")) {
                return LocalDateTime.parse(s, DATE).toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(s, DATE_NO_ZONE).toInstant(ZoneOffset.UTC); // XAPI means UTC
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad dateTime.iso8601 '" + s + "'", e);
        }
    }

    // ------------------------------------------------------------------ DOM

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no secure XML parser available", e);
        }
    }

    private static Document parse(byte[] xml) {
        try {
            return newBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("malformed XML-RPC: " + e.getMessage(), e);
        }
    }

    private static byte[] write(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write XML-RPC", e);
        }
    }

    private static Element append(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Element firstElement(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                return el;
            }
        }
        return null;
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(name)) {
                return el;
            }
        }
        return null;
    }

    private static Element required(Element e, String name) {
        Element c = child(e, name);
        if (c == null) {
            throw new IllegalArgumentException("malformed XML-RPC: <" + e.getTagName() + "> has no <" + name + ">");
        }
        return c;
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(name)) {
                out.add(el);
            }
        }
        return out;
    }
}
