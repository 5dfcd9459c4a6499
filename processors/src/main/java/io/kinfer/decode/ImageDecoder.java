package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** PNG/JPEG files through ImageIO, or RAW 8-bit grey pixels with their width and height. */
@Singleton
public final class ImageDecoder implements EventDecoder<ImageEvent, BufferedImage> {

  static final int MAX_PIXELS = 50_000_000;
  private final AvroSerde<ImageEvent> serde = AvroSerde.of(ImageEvent.class);

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

  private static BufferedImage encoded(byte[] bytes, String format) {
    BufferedImage image;
    try {
      // An in-memory stream: ImageIO.read(InputStream) would cache through a temp file.
      image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("image says " + format + " but cannot be decoded", e);
    }
    if (image == null) {
      throw new BadInputException("image says " + format + " but its " + bytes.length
          + " bytes are not a PNG or JPEG file");
    }
    if ((long) image.getWidth() * image.getHeight() > MAX_PIXELS) {
      throw new BadInputException("image is " + image.getWidth() + "x" + image.getHeight()
          + ", over the " + MAX_PIXELS + "-pixel limit");
    }
    return image;
  }

  private static BufferedImage raw(byte[] bytes, Integer width, Integer height) {
    if (width == null || height == null || width <= 0 || height <= 0) {
      throw new BadInputException("RAW image needs positive width and height, got "
          + width + "x" + height);
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
