package io.kinfer.observe;

import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event's content the way a browser shows it: the text inline, the picture or the clip as
 * its own file (a RAW image as PNG, PCM as WAV). Made when the page asks, for the few latest
 * events only.
 */
public final class EventContent {

  /** Larger payloads are described, not shown. */
  static final int MAX_BYTES = 2 << 20;
  static final int MAX_TEXT = 2_000;

  private EventContent() {}

  /** A picture or a sound as a browser takes it: its media type and bytes. */
  public record Media(String type, byte[] bytes) {}

  /**
   * What the page shows of an event inline: {@code text}, or {@code media} ("image" or
   * "audio", fetched separately through {@link #media}), or a {@code note} saying why not.
   */
  public static Map<String, String> of(SpecificRecord event) {
    Map<String, String> content = new LinkedHashMap<>();
    if (event instanceof TextEvent text) {
      String value = text.getText();
      content.put("text", value.length() <= MAX_TEXT ? value
          : value.substring(0, MAX_TEXT) + "…");
    } else if (event instanceof ImageEvent || event instanceof AudioEvent) {
      String kind = event instanceof ImageEvent ? "image" : "audio";
      int size = (event instanceof ImageEvent image ? image.getImage()
          : ((AudioEvent) event).getAudio()).remaining();
      if (size > MAX_BYTES) {
        content.put("note", kind + " of " + size + " bytes, too large to show");
      } else {
        content.put("media", kind);
      }
    }
    return content;
  }

  /** The event's picture (PNG or JPEG) or sound (WAV), when it has one a browser can show. */
  public static java.util.Optional<Media> media(SpecificRecord event) {
    if (event instanceof ImageEvent image) {
      byte[] bytes = bytes(image.getImage());
      if (bytes.length > MAX_BYTES) {
        return java.util.Optional.empty();
      }
      if (image.getFormat() == ImageFormat.RAW) {
        return java.util.Optional.ofNullable(rawToPng(bytes, image.getWidth(), image.getHeight()))
            .map(png -> new Media("image/png", png));
      }
      return java.util.Optional.of(new Media(image.getFormat() == ImageFormat.PNG ? "image/png"
          : "image/jpeg", bytes));
    }
    if (event instanceof AudioEvent audio) {
      byte[] bytes = bytes(audio.getAudio());
      if (bytes.length > MAX_BYTES) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new Media("audio/wav",
          audio.getEncoding() == AudioEncoding.WAV ? bytes
              : wav(bytes, audio.getSampleRate(), audio.getChannels())));
    }
    return java.util.Optional.empty();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static byte[] rawToPng(byte[] grey, Integer width, Integer height) {
    if (width == null || height == null || width <= 0 || height <= 0
        || (long) width * height != grey.length) {
      return null;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, width, height, grey);
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      return png.toByteArray();
    } catch (IOException e) {
      return null;
    }
  }

  /** A WAV file around signed 16-bit little-endian PCM. */
  static byte[] wav(byte[] pcm, int sampleRate, int channels) {
    ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
    wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2))
        .putShort((short) 16);
    wav.put("data".getBytes()).putInt(pcm.length).put(pcm);
    return wav.array();
  }
}
