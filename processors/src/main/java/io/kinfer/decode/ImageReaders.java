package io.kinfer.decode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A thread's ImageIO readers, one per file type, and one stream over an event's bytes, used
 * image after image. Looking a reader up in ImageIO's registry, creating it, and wrapping the
 * bytes in a {@code MemoryCacheImageInputStream} cost more than decoding a small image: about
 * 40 KB of garbage and the registry's walk per event, on the stream thread. A reader that failed
 * is not used again ({@link #failed}).
 */
final class ImageReaders {

  private static final ThreadLocal<ImageReaders> PER_THREAD =
      ThreadLocal.withInitial(ImageReaders::new);

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

  private final Bytes stream = new Bytes();
  private final Map<String, ImageReader> byType = new HashMap<>();

  /** The calling thread's readers. */
  static ImageReaders current() {
    return PER_THREAD.get();
  }

  /**
   * A reader for {@code bytes}, its input set to them; null when no reader knows the file.
   * PNG and JPEG readers are kept for the next image; a reader of another type is the caller's
   * to dispose (see {@link #done(ImageReader)}).
   */
  ImageReader readerFor(byte[] bytes) {
    stream.reset(bytes);
    String type = startsWith(bytes, PNG) ? "png" : startsWith(bytes, JPEG) ? "jpeg" : null;
    ImageReader reader = type == null ? null : byType.get(type);
    if (reader == null) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return null;
      }
      reader = readers.next();
      if (type != null) {
        byType.put(type, reader);
      }
    }
    reader.setInput(stream, true, true);
    return reader;
  }

  /**
   * After a read: a reader of a type not kept is disposed, and the stream lets go of the
   * event's bytes (a thread would otherwise hold its last image file, up to the record size,
   * until the next one).
   */
  void done(ImageReader reader) {
    if (!byType.containsValue(reader)) {
      reader.dispose();
    }
    stream.reset(Bytes.NONE);
  }

  /**
   * After a failed read ({@code reader} null if none was found): this thread starts again with
   * new readers and a new stream.
   */
  void failed(ImageReader reader) {
    if (reader != null) {
      done(reader);
    }
    byType.values().forEach(ImageReader::dispose);
    byType.clear();
    PER_THREAD.remove();
  }

  static boolean startsWith(byte[] bytes, byte[] magic) {
    if (bytes.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (bytes[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * An image input stream straight over a byte array, pointed at the next array rather than
   * created again (never closed: the thread keeps it).
   */
  static final class Bytes extends ImageInputStreamImpl {

    static final byte[] NONE = new byte[0];

    private byte[] bytes = NONE;

    void reset(byte[] next) {
      bytes = next;
      streamPos = 0;
      bitOffset = 0;
      flushedPos = 0;
    }

    @Override
    public int read() {
      bitOffset = 0;
      return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, into.length);
      bitOffset = 0;
      if (length == 0) {
        return 0;
      }
      if (streamPos >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(length, bytes.length - streamPos);
      System.arraycopy(bytes, (int) streamPos, into, offset, n);
      streamPos += n;
      return n;
    }

    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public boolean isCached() {
      return true;
    }

    @Override
    public boolean isCachedMemory() {
      return true;
    }
  }
}
