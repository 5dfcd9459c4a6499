package io.kinfer.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link PngDecoder} reads exactly what ImageIO reads from the same bytes: files written here
 * row filter by row filter (all five), in one or several data chunks, and files ImageIO wrote
 * itself; what it does not read is left to ImageIO, and broken files are refused.
 */
class PngDecoderTest {

  private static final int[][] SIZES = {{1, 1}, {28, 28}, {7, 13}, {64, 3}, {3, 64}};

  @Test
  void everyRowFilterOfGreyAndRgbDecodesAsImageIoDoes() throws Exception {
    Random random = new Random(17);
    for (int colourType : new int[] {0, 2}) {
      for (int[] size : SIZES) {
        for (int filter = 0; filter <= 5; filter++) { // 5: a different filter on each row
          for (int chunks : new int[] {1, 3}) {
            byte[] png = png(size[0], size[1], colourType, filter, chunks, random);
            String what = "colour type " + colourType + ", " + size[0] + "x" + size[1]
                + ", filter " + filter + ", " + chunks + " data chunks";
            assertSamePixels(ImageIO.read(new ByteArrayInputStream(png)), decode(png), what);
          }
        }
      }
    }
  }

  @Test
  void filesImageIoWroteDecodeAsImageIoReadsThem() throws Exception {
    Random random = new Random(5);
    for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB}) {
      for (int[] size : SIZES) {
        BufferedImage image = new BufferedImage(size[0], size[1], type);
        for (int y = 0; y < size[1]; y++) {
          for (int x = 0; x < size[0]; x++) {
            // Smooth areas and noise, so that ImageIO's writer picks different filters.
            image.setRGB(x, y, random.nextInt(4) == 0 ? random.nextInt() : (x * 9 + y * 5) * 0x010101);
          }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        byte[] png = out.toByteArray();
        assertSamePixels(ImageIO.read(new ByteArrayInputStream(png)), decode(png),
            "type " + type + ", " + size[0] + "x" + size[1]);
      }
    }
  }

  @Test
  void anRgbImageBecomesTheSameGreyForAGreyModelEitherWay() throws Exception {
    byte[] png = png(28, 28, 2, 5, 1, new Random(3));
    assertArrayEquals(greyPixels(ImageIO.read(new ByteArrayInputStream(png))),
        greyPixels(decode(png)));
  }

  @Test
  void otherFormatsAreLeftToImageIo() throws Exception {
    byte[] plain = png(8, 8, 0, 0, 1, new Random(1));
    assertNull(PngDecoder.decode(plain, header(plain, 16, 0, 0)), "16-bit");
    assertNull(PngDecoder.decode(plain, header(plain, 8, 3, 0)), "palette");
    assertNull(PngDecoder.decode(plain, header(plain, 8, 6, 0)), "RGBA");
    assertNull(PngDecoder.decode(plain, header(plain, 8, 0, 1)), "interlaced");
    assertNull(PngDecoder.decode(withChunkBeforeData(plain, "tRNS", new byte[2]),
        PngDecoder.header(plain)), "transparency");
    assertNull(PngDecoder.decode(withChunkBeforeData(plain, "iCCP", new byte[8]),
        PngDecoder.header(plain)), "colour profile");
  }

  @Test
  void brokenFilesAreRefusedWithTheirReason() throws Exception {
    byte[] png = png(28, 28, 0, 4, 1, new Random(2));
    PngDecoder.Header header = PngDecoder.header(png);
    String cut = assertThrows(BadInputException.class,
        () -> PngDecoder.decode(Arrays.copyOf(png, png.length - 40), header)).getMessage();
    assertTrue(cut.contains("declares") || cut.contains("ends"), cut);
    byte[] shortData = png(28, 28, 0, 0, 1, new Random(2), 20);
    String rows = assertThrows(BadInputException.class,
        () -> PngDecoder.decode(shortData, PngDecoder.header(shortData))).getMessage();
    assertTrue(rows.contains("holds"), rows);
    byte[] corrupt = png.clone();
    int data = indexOf(corrupt, "IDAT") + 4;
    for (int i = 2; i < 12; i++) {
      corrupt[data + i] ^= (byte) 0x5a;
    }
    assertThrows(BadInputException.class, () -> PngDecoder.decode(corrupt, header));
    byte[] badFilter = png(4, 2, 0, 7, 1, new Random(2));
    String filter = assertThrows(BadInputException.class,
        () -> PngDecoder.decode(badFilter, PngDecoder.header(badFilter))).getMessage();
    assertTrue(filter.contains("filter type 7"), filter);
    // The thread's inflater is reset after a failure: the next image decodes.
    assertSamePixels(ImageIO.read(new ByteArrayInputStream(png)), decode(png), "after failures");
  }

  @Test
  void theImageDecoderReadsPlainPngsHereAndTheRestThroughImageIo() throws Exception {
    ImageDecoder images = new ImageDecoder();
    byte[] grey = png(28, 28, 0, 4, 1, new Random(9));
    BufferedImage image = images.decode(HostileInputTest.image(
        io.kinfer.schema.ImageFormat.PNG, grey));
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
    assertSamePixels(ImageIO.read(new ByteArrayInputStream(grey)), image, "through the decoder");
    BufferedImage rgba = new BufferedImage(5, 5, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(2, 2, 0x80ff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgba, "png", out);
    BufferedImage read = images.decode(HostileInputTest.image(
        io.kinfer.schema.ImageFormat.PNG, out.toByteArray()));
    assertEquals(0x80ff0000, read.getRGB(2, 2), "RGBA through ImageIO");
  }

  private static BufferedImage decode(byte[] png) {
    PngDecoder.Header header = PngDecoder.header(png);
    assertNotNull(header);
    BufferedImage image = PngDecoder.decode(png, header);
    assertNotNull(image, "decoded here, not left to ImageIO");
    return image;
  }

  private static void assertSamePixels(BufferedImage expected, BufferedImage actual,
      String what) {
    assertEquals(expected.getWidth(), actual.getWidth(), what);
    assertEquals(expected.getHeight(), actual.getHeight(), what);
    assertEquals(expected.getRaster().getNumBands(), actual.getRaster().getNumBands(), what);
    int w = expected.getWidth();
    int h = expected.getHeight();
    assertArrayEquals(expected.getRaster().getPixels(0, 0, w, h, (int[]) null),
        actual.getRaster().getPixels(0, 0, w, h, (int[]) null), what);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertEquals(expected.getRGB(x, y), actual.getRGB(x, y), what + " at " + x + "," + y);
      }
    }
  }

  /** As ImageTranslator prepares an image of another type for a grey model. */
  private static int[] greyPixels(BufferedImage image) {
    BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(),
        BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = grey.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return grey.getRaster().getPixels(0, 0, grey.getWidth(), grey.getHeight(), (int[]) null);
  }

  private static PngDecoder.Header header(byte[] png, int bitDepth, int colourType,
      int interlace) {
    PngDecoder.Header h = PngDecoder.header(png);
    return new PngDecoder.Header(h.width(), h.height(), bitDepth, colourType, interlace);
  }

  private static byte[] png(int width, int height, int colourType, int filter, int chunks,
      Random random) throws Exception {
    return png(width, height, colourType, filter, chunks, random, height);
  }

  /**
   * An 8-bit PNG of random pixels, each row filtered with {@code filter} (5: filter {@code row
   * % 5}), its compressed data split over {@code chunks} data chunks, holding {@code rows} rows.
   */
  private static byte[] png(int width, int height, int colourType, int filter, int chunks,
      Random random, int rows) throws Exception {
    int bpp = colourType == 2 ? 3 : 1;
    int stride = width * bpp;
    byte[] pixels = new byte[height * stride];
    for (int i = 0; i < pixels.length; i++) {
      // Runs of equal values and noise: every filter has something to do.
      pixels[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : (i / 7) * 13);
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int r = 0; r < rows; r++) {
      int f = filter == 5 ? r % 5 : filter;
      raw.write(f);
      for (int i = 0; i < stride; i++) {
        int x = pixels[r * stride + i] & 0xff;
        int a = i >= bpp ? pixels[r * stride + i - bpp] & 0xff : 0;
        int b = r > 0 ? pixels[(r - 1) * stride + i] & 0xff : 0;
        int c = i >= bpp && r > 0 ? pixels[(r - 1) * stride + i - bpp] & 0xff : 0;
        int predicted = switch (f) {
          case 0 -> 0;
          case 1 -> a;
          case 2 -> b;
          case 3 -> (a + b) / 2;
          case 4 -> paeth(a, b, c);
          default -> 0;
        };
        raw.write((x - predicted) & 0xff);
      }
    }
    Deflater deflater = new Deflater();
    deflater.setInput(raw.toByteArray());
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    byte[] data = compressed.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
        .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(out, "gAMA", ByteBuffer.allocate(4).putInt(45455).array());
    int per = (data.length + chunks - 1) / chunks;
    for (int from = 0; from < data.length; from += per) {
      chunk(out, "IDAT", Arrays.copyOfRange(data, from, Math.min(data.length, from + per)));
    }
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  private static byte[] withChunkBeforeData(byte[] png, String type, byte[] data) {
    int at = indexOf(png, "IDAT") - 4;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, at);
    chunk(out, type, data);
    out.write(png, at, png.length - at);
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, String type) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + t.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + t.length, t, 0, t.length)) {
        return i;
      }
    }
    throw new IllegalArgumentException(type);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    HostileInputTest.chunk(out, type, data);
  }
}
