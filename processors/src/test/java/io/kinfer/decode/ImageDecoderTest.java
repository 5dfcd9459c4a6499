package io.kinfer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.decode.BadInputException;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder modality = new ImageDecoder();

  @Test
  void decodesPngAndRawGreyPixels() {
    BufferedImage png = modality.decode(ImageEvent.newBuilder(Events.png("p", 1))
        .setImage(ByteBuffer.wrap(Events.pngBytes(1, 40, 30))).build());
    assertEquals(40, png.getWidth());
    assertEquals(30, png.getHeight());

    byte[] pixels = new byte[6];
    pixels[4] = (byte) 200;
    BufferedImage raw = modality.decode(ImageEvent.newBuilder(Events.png("r", 1))
        .setFormat(ImageFormat.RAW).setWidth(3).setHeight(2).setImage(ByteBuffer.wrap(pixels))
        .build());
    assertEquals(200, raw.getRaster().getSample(1, 1, 0));
  }

  @Test
  void rejectsBadImagesWithTheReason() {
    ImageEvent empty = ImageEvent.newBuilder(Events.png("e", 1))
        .setImage(ByteBuffer.wrap(new byte[0])).build();
    assertTrue(assertThrows(BadInputException.class, () -> modality.decode(empty))
        .getMessage().contains("empty"));
    ImageEvent rawWithoutSize = ImageEvent.newBuilder(Events.png("r", 1))
        .setFormat(ImageFormat.RAW).build();
    assertTrue(assertThrows(BadInputException.class, () -> modality.decode(rawWithoutSize))
        .getMessage().contains("width and height"));
  }
}
