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

  /**
   * A thread reuses its readers and its stream image after image: PNG and JPEG in turns, a bad
   * file between them, and every image still decodes to its own pixels.
   */
  @Test
  void readersReusedAcrossImagesAndAfterABadOneDecodeEachImageAsImageIoDoes() throws Exception {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 12; i++) {
      int width = 5 + random.nextInt(40);
      int height = 5 + random.nextInt(40);
      BufferedImage source = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          source.getRaster().setSample(x, y, 0, random.nextInt(256));
        }
      }
      boolean png = i % 3 != 2;
      java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(source, png ? "png" : "jpeg", file);
      byte[] bytes = file.toByteArray();
      BufferedImage expected = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
      BufferedImage decoded = modality.decode(ImageEvent.newBuilder(Events.png("i" + i, 1))
          .setFormat(png ? ImageFormat.PNG : ImageFormat.JPEG)
          .setImage(ByteBuffer.wrap(bytes)).build());
      assertEquals(width, decoded.getWidth());
      assertEquals(height, decoded.getHeight());
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          expected.getRaster().getPixels(0, 0, width, height, (int[]) null),
          decoded.getRaster().getPixels(0, 0, width, height, (int[]) null), "image " + i);
      if (i % 4 == 1) {
        // The file's signature, then junk: a reader is found, and fails mid-file.
        byte[] broken = java.util.Arrays.copyOf(bytes, 40);
        java.util.Arrays.fill(broken, png ? 8 : 3, broken.length, (byte) 0x5a);
        assertThrows(BadInputException.class, () -> modality.decode(ImageEvent.newBuilder(
            Events.png("broken", 1)).setImage(ByteBuffer.wrap(broken)).build()));
      }
    }
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
