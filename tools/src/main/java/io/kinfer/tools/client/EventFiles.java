package io.kinfer.tools.client;

import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Builds Avro events from files and text lines, as a producer would. */
public final class EventFiles {

  private EventFiles() {}

  public static Envelope envelope(String eventId, String source, Map<String, String> attributes) {
    return Envelope.newBuilder().setEventId(eventId).setSource(source)
        .setEventTime(Instant.now()).setAttributes(attributes).build();
  }

  /** An image event from a .png/.jpg/.jpeg file. */
  public static byte[] image(Envelope envelope, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ImageFormat format = name.endsWith(".png") ? ImageFormat.PNG
        : name.endsWith(".jpg") || name.endsWith(".jpeg") ? ImageFormat.JPEG : null;
    if (format == null) {
      throw new IllegalArgumentException(file + ": image files must end in .png, .jpg or .jpeg");
    }
    return AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder().setEnvelope(envelope)
        .setFormat(format).setImage(ByteBuffer.wrap(Files.readAllBytes(file))).build());
  }

  /** An audio event from a .wav file, or a .pcm file of 16 kHz mono PCM16LE. */
  public static byte[] audio(Envelope envelope, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    AudioEncoding encoding = name.endsWith(".wav") ? AudioEncoding.WAV
        : name.endsWith(".pcm") ? AudioEncoding.PCM16LE : null;
    if (encoding == null) {
      throw new IllegalArgumentException(file + ": audio files must end in .wav (or .pcm for raw"
          + " 16 kHz mono PCM16LE)");
    }
    return AvroSerde.of(AudioEvent.class).encode(AudioEvent.newBuilder().setEnvelope(envelope)
        .setEncoding(encoding).setAudio(ByteBuffer.wrap(Files.readAllBytes(file))).build());
  }

  public static byte[] text(Envelope envelope, String text) {
    return AvroSerde.of(TextEvent.class).encode(
        TextEvent.newBuilder().setEnvelope(envelope).setText(text).build());
  }
}
