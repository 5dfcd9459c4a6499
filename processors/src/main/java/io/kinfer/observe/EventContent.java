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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event's content the way a browser shows it: an image or a WAV clip as a data URL, or the
 * text. Made when the page asks, for the few latest events only.
 */
public final class EventContent {

  /** Larger payloads are described, not shown. */
  static final int MAX_BYTES = 2 << 20;
  static final int MAX_TEXT = 2_000;

  private EventContent() {}

  /** Keys {@code image}, {@code audio} (data URLs) or {@code text}, or {@code note}. */
  public static Map<String, String> of(SpecificRecord event) {
    Map<String, String> content = new LinkedHashMap<>();
    if (event instanceof ImageEvent image) {
      byte[] bytes = bytes(image.getImage());
      if (bytes.length > MAX_BYTES) {
        content.put("note", "image of " + bytes.length + " bytes, too large to show");
      } else if (image.getFormat() == ImageFormat.RAW) {
        byte[] png = rawToPng(bytes, image.getWidth(), image.getHeight());
        if (png == null) {
          content.put("note", "raw image without a valid width and height");
        } else {
          content.put("image", dataUrl("image/png", png));
        }
      } else {
        content.put("image", dataUrl(image.getFormat() == ImageFormat.PNG ? "image/png"
            : "image/jpeg", bytes));
      }
    } else if (event instanceof TextEvent text) {
      String value = text.getText().toString();
      content.put("text", value.length() <= MAX_TEXT ? value
          : value.substring(0, MAX_TEXT) + "…");
    } else if (event instanceof AudioEvent audio) {
      byte[] bytes = bytes(audio.getAudio());
      if (bytes.length > MAX_BYTES) {
        content.put("note", "clip of " + bytes.length + " bytes, too large to play here");
      } else {
        content.put("audio", dataUrl("audio/wav", audio.getEncoding() == AudioEncoding.WAV ? bytes
            : wav(bytes, audio.getSampleRate(), audio.getChannels())));
      }
    }
    return content;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static String dataUrl(String type, byte[] bytes) {
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
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
