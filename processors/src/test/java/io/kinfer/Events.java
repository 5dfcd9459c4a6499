package io.kinfer;

import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/** Realistic test events: real PNG files, real WAV files, real text. */
public final class Events {

  private Events() {}

  public static Envelope envelope(String id) {
    return Envelope.newBuilder().setEventId(id).setSource("test")
        .setEventTime(Instant.ofEpochMilli(1_800_000_000_000L)).setAttributes(Map.of("k", "v"))
        .build();
  }

  public static ImageEvent png(String id, long seed) {
    return ImageEvent.newBuilder().setEnvelope(envelope(id)).setFormat(ImageFormat.PNG)
        .setImage(ByteBuffer.wrap(pngBytes(seed, 28, 28))).build();
  }

  public static byte[] pngBytes(long seed, int width, int height) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = random.nextInt(256);
        image.getRaster().setSample(x, y, 0, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static AudioEvent wav(String id, long seed) {
    return AudioEvent.newBuilder().setEnvelope(envelope(id)).setEncoding(AudioEncoding.WAV)
        .setAudio(ByteBuffer.wrap(wavBytes(seed, 8000, 1, 6000))).build();
  }

  /** A 16-bit PCM WAV file: a tone with some noise. */
  public static byte[] wavBytes(long seed, int sampleRate, int channels, int frames) {
    Random random = new Random(seed);
    double hz = 200 + random.nextInt(800);
    ByteBuffer data = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * hz * i / sampleRate)
          + random.nextGaussian() * 500);
      for (int c = 0; c < channels; c++) {
        data.putShort(v);
      }
    }
    ByteBuffer wav = ByteBuffer.allocate(44 + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    wav.putInt(0x46464952).putInt(36 + data.capacity()).putInt(0x45564157)
        .putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2))
        .putShort((short) 16).putInt(0x61746164).putInt(data.capacity()).put(data.array());
    return wav.array();
  }

  public static TextEvent text(String id, String text) {
    return TextEvent.newBuilder().setEnvelope(envelope(id)).setText(text).build();
  }
}
