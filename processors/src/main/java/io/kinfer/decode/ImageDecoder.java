package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import jakarta.inject.Inject;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * PNG/JPEG files, or RAW 8-bit grey pixels with their width and height. Plain 8-bit grey and
 * RGB PNGs are read by {@link PngDecoder}, every other file through ImageIO.
 */
@Singleton
public final class ImageDecoder implements EventDecoder<ImageEvent, BufferedImage> {

  private final AvroSerde<ImageEvent> serde = AvroSerde.of(ImageEvent.class);
  private final InputLimits limits;

  public ImageDecoder() {
    this(InputLimits.DEFAULT);
  }

  @Inject
  public ImageDecoder(InputLimits limits) {
    this.limits = limits;
  }

  @Override
  public String name() {
    return "image";
  }

  @Override
  public Modality modality() {
    return Modality.IMAGE;
  }

  @Override
  public AvroSerde<ImageEvent> serde() {
    return serde;
  }

  @Override
  public Class<BufferedImage> inputType() {
    return BufferedImage.class;
  }

  @Override
  public Envelope envelope(ImageEvent event) {
    return event.getEnvelope();
  }

  @Override
  public BufferedImage decode(ImageEvent event) {
    byte[] bytes = bytes(event.getImage());
    if (bytes.length == 0) {
      throw new BadInputException("image is empty (0 bytes)");
    }
    return switch (event.getFormat()) {
      case RAW -> raw(bytes, event.getWidth(), event.getHeight());
      case PNG, JPEG -> encoded(bytes, event.getFormat().name());
    };
  }

  /**
   * Reads the header first: the declared size is checked before any pixel is decoded, and the
   * pixels are read subsampled to at most {@link InputLimits#DECODED_IMAGE_PIXELS}.
   */
  private BufferedImage encoded(byte[] bytes, String format) {
    PngDecoder.Header png = PngDecoder.isPng(bytes) ? PngDecoder.header(bytes) : null;
    if (png != null && png.plain()) {
      checkDeclaredSize(png.width(), png.height(), bytes.length);
      if (subsampling(png.width(), png.height()) == 1) {
        try {
          BufferedImage image = PngDecoder.decode(bytes, png);
          if (image != null) {
            return image;
          }
        } catch (BadInputException e) {
          throw new BadInputException("image says " + format + " but cannot be decoded: "
              + e.getMessage(), e);
        }
      }
    }
    ImageReaders readers = ImageReaders.current();
    ImageReader reader = null;
    try {
      reader = readers.readerFor(bytes);
      if (reader == null) {
        throw new BadInputException("image says " + format + " but its " + bytes.length
            + " bytes are not a PNG or JPEG file");
      }
      long width = reader.getWidth(0);
      long height = reader.getHeight(0);
      checkDeclaredSize(width, height, bytes.length);
      ImageReadParam param = reader.getDefaultReadParam();
      int step = subsampling(width, height);
      if (step > 1) {
        param.setSourceSubsampling(step, step, 0, 0);
      }
      BufferedImage image = reader.read(0, param);
      readers.done(reader);
      return image;
    } catch (IOException | RuntimeException e) {
      // The reader and the stream may be left mid-file: this thread gets fresh ones.
      readers.failed(reader);
      if (e instanceof BadInputException bad) {
        throw bad;
      }
      throw new BadInputException("image says " + format + " but cannot be decoded: "
          + e.getMessage(), e);
    }
  }

  private void checkDeclaredSize(long width, long height, int fileBytes) {
    if (width <= 0 || height <= 0) {
      throw new BadInputException("image header declares " + width + "x" + height);
    }
    if (width * height > limits.maxImagePixels()) {
      throw new BadInputException("image header declares " + width + "x" + height + " = "
          + width * height + " pixels, over kinfer.limits.max-image-pixels ("
          + limits.maxImagePixels() + "), in " + fileBytes + " bytes");
    }
  }

  /** The smallest step that brings width x height to at most the decoded-pixel bound. */
  static int subsampling(long width, long height) {
    int step = 1;
    while ((width / step) * (height / step) > InputLimits.DECODED_IMAGE_PIXELS) {
      step++;
    }
    return step;
  }

  private BufferedImage raw(byte[] bytes, Integer width, Integer height) {
    if (width == null || height == null || width <= 0 || height <= 0) {
      throw new BadInputException("RAW image needs positive width and height, got "
          + width + "x" + height);
    }
    if ((long) width * height > limits.maxImagePixels()) {
      throw new BadInputException("RAW image says " + width + "x" + height + ", over"
          + " kinfer.limits.max-image-pixels (" + limits.maxImagePixels() + ")");
    }
    if ((long) width * height != bytes.length) {
      throw new BadInputException("RAW image says " + width + "x" + height + " = "
          + (long) width * height + " grey bytes but carries " + bytes.length);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, width, height, bytes);
    return image;
  }

  @Override
  public BufferedImage warmUpInput() {
    return new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
