import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Canopy's application icon, drawn in code so no binary image lives in the repository (PNG, ICO, ICNS). */
final class Icons {
    private Icons() {}


    static BufferedImage drawIcon(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 256.0, size / 256.0);
        // Rounded square, night-sky green.
        g.setPaint(new GradientPaint(0, 0, new Color(0x1E3A2F), 0, 256, new Color(0x0F1F19)));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));
        // Trunk and two branches.
        g.setColor(new Color(0x8D6E63));
        Path2D trunk = new Path2D.Double();
        trunk.moveTo(116, 214);
        trunk.lineTo(122, 140);
        trunk.lineTo(134, 140);
        trunk.lineTo(140, 214);
        trunk.closePath();
        g.fill(trunk);
        g.setStroke(new BasicStroke(9, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(126, 170, 100, 146);
        g.drawLine(130, 162, 158, 140);
        // Canopy: overlapping leaf clusters, darker at the back.
        Color back = new Color(0x2E7D32), mid = new Color(0x43A047), front = new Color(0x81C784);
        g.setColor(back);
        g.fill(new Ellipse2D.Double(40, 82, 84, 76));
        g.fill(new Ellipse2D.Double(132, 82, 84, 76));
        g.setColor(mid);
        g.fill(new Ellipse2D.Double(62, 46, 90, 86));
        g.fill(new Ellipse2D.Double(110, 52, 86, 80));
        g.fill(new Ellipse2D.Double(72, 96, 112, 62));
        g.setColor(front);
        g.fill(new Ellipse2D.Double(92, 60, 44, 34));
        g.fill(new Ellipse2D.Double(144, 96, 30, 22));
        // Ground line.
        g.setColor(new Color(0x43A047));
        g.setStroke(new BasicStroke(8, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(80, 216, 176, 216);
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeIcons(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("Canopy.png"), png(drawIcon(256)));
        Files.write(dir.resolve("Canopy.ico"), ico(16, 24, 32, 48, 64, 256));
        Files.write(dir.resolve("Canopy.icns"), icns());
    }

    /** Windows .ico: 32-bit BMP entries up to 64 px, a PNG entry for 256 px (Vista and later). */
    static byte[] ico(int... sizes) {
        List<byte[]> images = new ArrayList<>();
        for (int s : sizes) images.add(s >= 256 ? png(drawIcon(s)) : dib(drawIcon(s)));
        int offset = 6 + 16 * sizes.length;
        ByteBuffer head = ByteBuffer.allocate(offset).order(ByteOrder.LITTLE_ENDIAN);
        head.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            int s = sizes[i];
            head.put((byte) (s >= 256 ? 0 : s)).put((byte) (s >= 256 ? 0 : s)).put((byte) 0).put((byte) 0)
                    .putShort((short) 1).putShort((short) 32).putInt(images.get(i).length).putInt(offset);
            offset += images.get(i).length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.array());
        images.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] dib(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int maskRow = ((w + 31) / 32) * 4;
        ByteBuffer b = ByteBuffer.allocate(40 + w * h * 4 + maskRow * h).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40).putInt(w).putInt(2 * h).putShort((short) 1).putShort((short) 32).putInt(0)
                .putInt(w * h * 4 + maskRow * h).putInt(0).putInt(0).putInt(0).putInt(0);
        for (int y = h - 1; y >= 0; y--) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                b.put((byte) argb).put((byte) (argb >> 8)).put((byte) (argb >> 16)).put((byte) (argb >>> 24));
            }
        }
        // AND mask all zero: the alpha channel decides transparency.
        return b.array();
    }

    /** macOS .icns with PNG entries (10.7 and later). */
    static byte[] icns() {
        Object[][] entries = {
            {"icp4", 16}, {"icp5", 32}, {"ic11", 32}, {"ic12", 64}, {"ic07", 128},
            {"ic13", 256}, {"ic08", 256}, {"ic14", 512}, {"ic09", 512}, {"ic10", 1024},
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object[] e : entries) {
            byte[] data = png(drawIcon((Integer) e[1]));
            body.writeBytes(((String) e[0]).getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(ByteBuffer.allocate(4).putInt(8 + data.length).array());
            body.writeBytes(data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("icns".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4).putInt(8 + body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
