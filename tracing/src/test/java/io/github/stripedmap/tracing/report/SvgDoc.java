package io.github.stripedmap.tracing.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** Test helper: an SVG chart parsed as XML (which also proves it well-formed), queried with XPath. */
final class SvgDoc {

    private final Document doc;

    private SvgDoc(Document doc) {
        this.doc = doc;
    }

    /** Parses one {@code <svg>} element (no namespace awareness: XPath names match element names as written). */
    static SvgDoc parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new SvgDoc(f.newDocumentBuilder().parse(new InputSource(new StringReader(svg))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n"
                    + svg.substring(0, Math.min(2000, svg.length())), e);
        }
    }

    /** The {@code <svg ...>...</svg>} element whose {@code id} is given, cut out of an HTML page. */
    static String cut(String html, String id) {
        int start = html.indexOf("<svg id=\"" + id + "\"");
        if (start < 0) {
            throw new AssertionError("no <svg id=\"" + id + "\"> in the page");
        }
        int end = html.indexOf("</svg>", start);
        return html.substring(start, end + "</svg>".length());
    }

    Element root() {
        return doc.getDocumentElement();
    }

    List<Element> all(String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
            List<Element> list = new ArrayList<>(nodes.getLength());
            for (int i = 0; i < nodes.getLength(); i++) {
                list.add((Element) nodes.item(i));
            }
            return list;
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }

    Element one(String xpath) {
        List<Element> list = all(xpath);
        if (list.size() != 1) {
            throw new AssertionError(list.size() + " elements for " + xpath + ", expected 1");
        }
        return list.get(0);
    }

    List<String> texts(String xpath) {
        return all(xpath).stream().map(Element::getTextContent).toList();
    }

    static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    /** The points of a {@code <polyline>} as x, y pairs. */
    static List<double[]> points(Element polyline) {
        List<double[]> points = new ArrayList<>();
        for (String p : polyline.getAttribute("points").trim().split("\\s+")) {
            String[] xy = p.split(",");
            points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return points;
    }
}
