package dev.canopy.app.documents;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Word (.docx) without a Word library: {@code word/document.xml} read with the JDK's StAX parser.
 * Paragraph styles Heading1..9 and Title (or an outline level) open sections. Page breaks Word recorded
 * when it last laid the file out ({@code lastRenderedPageBreak}) and explicit page breaks give page
 * numbers; a file without any is cited by section instead.
 */
public final class DocxLoader implements DocumentLoader {
    static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final long MAX_XML_BYTES = 512L << 20;

    /** One paragraph as read: its text, heading level (0 = body), pages and section. */
    record RawParagraph(String text, int headingLevel, int firstPage, int lastPage, int section) {}

    @Override
    public Document load(Path file) throws DocumentException {
        List<RawParagraph> paras;
        String title;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry body = zip.getEntry("word/document.xml");
            if (body == null) throw damaged(file, "it has no word/document.xml", null);
            if (body.getSize() > MAX_XML_BYTES) throw damaged(file, "its text part is larger than 512 MiB", null);
            try (InputStream in = zip.getInputStream(body)) {
                paras = readBody(in);
            }
            title = coreTitle(zip);
        } catch (ZipException e) {
            throw damaged(file, "it is not a valid .docx (zip) file", e);
        } catch (IOException | XMLStreamException e) {
            throw damaged(file, e.getMessage(), e);
        }
        boolean paged = paras.stream().anyMatch(p -> p.lastPage() > 1);
        Locator locator = paged ? Locator.PAGE : Locator.SECTION;
        List<Block> blocks = new ArrayList<>();
        List<String> path = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        int places = 1;
        for (RawParagraph p : paras) {
            int from = paged ? p.firstPage() : p.section();
            int to = paged ? p.lastPage() : p.section();
            places = Math.max(places, to);
            if (p.text().isBlank()) continue;
            if (p.headingLevel() > 0) {
                while (!levels.isEmpty() && levels.getLast() >= p.headingLevel()) { levels.removeLast(); path.removeLast(); }
                levels.add(p.headingLevel());
                path.add(Paragraphs.tidy(p.text()));
                blocks.add(Block.heading(Paragraphs.tidy(p.text()), path, from));
                if (title == null && p.headingLevel() == 1) title = p.text();
            } else {
                blocks.add(Block.paragraph(p.text().strip(), path, from, to));
            }
        }
        return DocumentLoaders.build(file, DocumentFormat.DOCX, title, locator, places, blocks, List.of());
    }

    static List<RawParagraph> readBody(InputStream in) throws XMLStreamException {
        XMLStreamReader x = factory().createXMLStreamReader(in);
        List<RawParagraph> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int page = 1, section = 1, level = 0, paraStartPage = 1;
        boolean inText = false, sectionHasContent = false, justBroke = false;
        while (x.hasNext()) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT && W.equals(x.getNamespaceURI())) {
                switch (x.getLocalName()) {
                    case "p" -> { text.setLength(0); level = 0; paraStartPage = page; }
                    case "pStyle" -> level = Math.max(level, styleLevel(x.getAttributeValue(W, "val")));
                    case "outlineLvl" -> level = Math.max(level, parseLevel(x.getAttributeValue(W, "val")));
                    case "t" -> inText = true;
                    case "tab" -> text.append('\t');
                    case "cr" -> text.append('\n');
                    case "br" -> {
                        if ("page".equals(x.getAttributeValue(W, "type"))) {
                            page++;
                            justBroke = true;
                            if (text.isEmpty()) paraStartPage = page;
                        } else {
                            text.append('\n');
                        }
                    }
                    case "lastRenderedPageBreak" -> {
                        // Word may record a rendered break right after an explicit one: count it once.
                        if (!justBroke) page++;
                        justBroke = false;
                        if (text.isEmpty()) paraStartPage = page;
                    }
                    default -> { }
                }
            } else if (ev == XMLStreamConstants.CHARACTERS && inText) {
                text.append(x.getText());
                justBroke = false;
            } else if (ev == XMLStreamConstants.END_ELEMENT && W.equals(x.getNamespaceURI())) {
                if (x.getLocalName().equals("t")) inText = false;
                if (x.getLocalName().equals("p")) {
                    if (level > 0 && sectionHasContent && !text.isEmpty()) section++;
                    if (!text.isEmpty()) sectionHasContent = true;
                    out.add(new RawParagraph(text.toString(), level, text.isEmpty() ? page : paraStartPage, page, section));
                }
            }
        }
        return out;
    }

    /** Heading level of a paragraph style id: Heading1 → 1, Title → 1, else 0. */
    static int styleLevel(String style) {
        if (style == null) return 0;
        String s = style.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (s.equals("title")) return 1;
        if (s.startsWith("heading") && s.length() > 7 && Character.isDigit(s.charAt(7))) return s.charAt(7) - '0';
        return 0;
    }

    private static int parseLevel(String v) {
        try {
            int n = Integer.parseInt(v);
            return n >= 0 && n < 9 ? n + 1 : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String coreTitle(ZipFile zip) throws IOException, XMLStreamException {
        ZipEntry core = zip.getEntry("docProps/core.xml");
        if (core == null || core.getSize() > (1 << 20)) return null;
        try (InputStream in = zip.getInputStream(core)) {
            XMLStreamReader x = factory().createXMLStreamReader(in);
            while (x.hasNext()) {
                if (x.next() == XMLStreamConstants.START_ELEMENT && x.getLocalName().equals("title")) {
                    String t = x.getElementText().strip();
                    return t.isEmpty() ? null : t;
                }
            }
        }
        return null;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    private static DocumentException damaged(Path file, String why, Throwable cause) {
        return new DocumentException(DocumentException.Reason.DAMAGED,
                "Cannot read " + file.getFileName() + " as a Word document: " + why + ".", cause);
    }
}
