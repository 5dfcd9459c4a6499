package io.kinfer.decode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The PNG files most events carry, 8-bit grey or RGB and not interlaced, decoded straight from
 * the event's bytes: one pass over the chunks, the pixel data inflated by the thread's own
 * {@link Inflater} into one array, unfiltered in place and copied into the image. ImageIO's
 * reader wraps every file in a stream per data chunk, an 8 KB buffered stream and a new
 * Inflater: about 16 KB of garbage and 8 µs per 28x28 image on the stream thread, a third of all
 * that the image pipeline allocated.
 *
 * <p>Any other file is left to ImageIO ({@link #decode} returns null): other bit depths, a
 * palette, an alpha channel, interlacing, a colour profile ({@code iCCP}) or transparency
 * ({@code tRNS}), which ImageIO turns into other image types. What this decodes is exactly what
 * ImageIO reads from the same bytes (the test compares them), so serving sees the same values
 * either way. Like ImageIO, it does not check the chunks' CRCs.
 */
final class PngDecoder {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int IHDR = chunkType("IHDR");
  private static final int IDAT = chunkType("IDAT");
  private static final int IEND = chunkType("IEND");
  private static final int ICCP = chunkType("iCCP");
  private static final int TRNS = chunkType("tRNS");
  private static final int PLTE = chunkType("PLTE");

  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

  private PngDecoder() {}

  /** The size and pixel format a PNG file's header declares. */
  record Header(int width, int height, int bitDepth, int colorType, int interlace) {

    /** Whether {@link #decode} reads it (8-bit grey or RGB, not interlaced). */
    boolean plain() {
      return bitDepth == 8 && (colorType == 0 || colorType == 2) && interlace == 0;
    }

    int channels() {
      return colorType == 2 ? 3 : 1;
    }
  }

  /** Whether {@code bytes} start as a PNG file does. */
  static boolean isPng(byte[] bytes) {
    return ImageReaders.startsWith(bytes, SIGNATURE);
  }

  /**
   * The header of a PNG file, or null when the file is too short to hold one or its first chunk
   * is not a header (ImageIO then says what is wrong).
   */
  static Header header(byte[] png) {
    if (png.length < 33 || readInt(png, 12) != IHDR || readInt(png, 8) != 13) {
      return null;
    }
    return new Header(readInt(png, 16), readInt(png, 20), png[24] & 0xff, png[25] & 0xff,
        png[28] & 0xff);
  }

  /**
   * The image of an 8-bit grey or RGB PNG that is not interlaced ({@link Header#plain()}), as a
   * {@code TYPE_BYTE_GRAY} or {@code TYPE_INT_RGB} image; null when ImageIO must read it. The
   * caller has checked the header's size.
   *
   * @throws BadInputException when the file is cut short or its pixel data is corrupt
   */
  static BufferedImage decode(byte[] png, Header header) {
    int width = header.width();
    int height = header.height();
    int channels = header.channels();
    int stride = width * channels;
    long rawLength = (long) height * (stride + 1);
    if (!header.plain() || rawLength > Integer.MAX_VALUE - 8) {
      return null;
    }
    byte[] raw = new byte[(int) rawLength];
    int filled = 0;
    Inflater inflater = INFLATER.get();
    inflater.reset();
    try {
      int at = SIGNATURE.length;
      boolean ended = false;
      while (!ended) {
        if (at + 8 > png.length) {
          throw new BadInputException("PNG file ends inside a chunk header at byte " + at
              + " of " + png.length);
        }
        int length = readInt(png, at);
        int type = readInt(png, at + 4);
        int data = at + 8;
        if (length < 0 || (long) data + length + 4 > png.length) {
          throw new BadInputException("PNG chunk at byte " + at + " declares " + (length & 0xffffffffL)
              + " bytes; the file has " + png.length);
        }
        if (type == ICCP || type == TRNS || type == PLTE) {
          return null;
        } else if (type == IDAT && filled < raw.length) {
          inflater.setInput(png, data, length);
          while (filled < raw.length && !inflater.needsInput() && !inflater.finished()) {
            int n = inflater.inflate(raw, filled, raw.length - filled);
            if (n == 0) {
              if (inflater.needsDictionary()) {
                throw new BadInputException("PNG pixel data asks for a preset dictionary");
              }
              break;
            }
            filled += n;
          }
        } else if (type == IEND) {
          ended = true;
        }
        at = data + length + 4;
      }
    } catch (DataFormatException e) {
      throw new BadInputException("PNG pixel data is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.reset();
    }
    if (filled < raw.length) {
      throw new BadInputException("PNG pixel data holds " + filled + " of the " + raw.length
          + " bytes a " + width + "x" + height + " image needs");
    }
    unfilter(raw, height, stride, channels);
    return channels == 1 ? grey(raw, width, height) : rgb(raw, width, height);
  }

  /** Undoes each row's filter in place (PNG spec, section 9): rows start at {@code r * (stride + 1)}. */
  private static void unfilter(byte[] raw, int height, int stride, int bpp) {
    for (int r = 0; r < height; r++) {
      int row = r * (stride + 1);
      int filter = raw[row];
      int cur = row + 1;
      int prev = cur - (stride + 1);
      boolean first = r == 0;
      switch (filter) {
        case 0 -> { }
        case 1 -> {
          for (int i = bpp; i < stride; i++) {
            raw[cur + i] += raw[cur + i - bpp];
          }
        }
        case 2 -> {
          if (!first) {
            for (int i = 0; i < stride; i++) {
              raw[cur + i] += raw[prev + i];
            }
          }
        }
        case 3 -> {
          for (int i = 0; i < stride; i++) {
            int left = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
            int up = first ? 0 : raw[prev + i] & 0xff;
            raw[cur + i] += (byte) ((left + up) >>> 1);
          }
        }
        case 4 -> {
          for (int i = 0; i < stride; i++) {
            int a = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
            int b = first ? 0 : raw[prev + i] & 0xff;
            int c = i >= bpp && !first ? raw[prev + i - bpp] & 0xff : 0;
            raw[cur + i] += (byte) paeth(a, b, c);
          }
        }
        default -> throw new BadInputException("PNG row " + r + " has filter type " + filter
            + "; PNG knows 0 to 4");
      }
    }
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  private static BufferedImage grey(byte[] raw, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int r = 0; r < height; r++) {
      System.arraycopy(raw, r * (width + 1) + 1, pixels, r * width, width);
    }
    return image;
  }

  private static BufferedImage rgb(byte[] raw, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    int stride = width * 3;
    for (int r = 0; r < height; r++) {
      int from = r * (stride + 1) + 1;
      int to = r * width;
      for (int x = 0; x < width; x++, from += 3) {
        pixels[to + x] = (raw[from] & 0xff) << 16 | (raw[from + 1] & 0xff) << 8
            | raw[from + 2] & 0xff;
      }
    }
    return image;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  private static int chunkType(String name) {
    return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
  }
}
