package io.kinfer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Kinfer's own hostile-input suite for the decoders and the Avro layer: decompression bombs,
 * lying headers, truncations, odd encodings and length attacks are refused with a precise
 * reason before anything large is allocated; valid-but-unusual inputs decode, long ones cut to
 * the limits. Allocation is measured per thread (HotSpot's allocated-bytes counter), not timed.
 */
class HostileInputTest {

  private final ImageDecoder images = new ImageDecoder();
  private final AudioDecoder audio = new AudioDecoder();
  private final TextDecoder texts = new TextDecoder();

  // --- images ---

  @Test
  void aPngBombDeclaringAGiantCanvasIsRefusedFromItsHeader() throws Exception {
    byte[] bomb = png(30_000, 30_000, 2, 64); // 900 Mpx RGB declared, a few KB of zeros
    assertTrue(bomb.length < 10_000, "the bomb is small: " + bomb.length);
    String reason = refusedWithin(2 << 20, () -> images.decode(image(ImageFormat.PNG, bomb)));
    assertTrue(reason.contains("30000x30000") && reason.contains("max-image-pixels"), reason);
  }

  @Test
  void aJpegDeclaringAGiantCanvasIsRefusedFromItsHeader() throws Exception {
    byte[] jpeg = jpeg(16, 16);
    patchJpegSize(jpeg, 60_000, 60_000);
    String reason = refusedWithin(2 << 20, () -> images.decode(image(ImageFormat.JPEG, jpeg)));
    assertTrue(reason.contains("60000x60000"), reason);
  }

  @Test
  void aPngWhoseDataStopsShortOfItsHeaderIsRefused() throws Exception {
    byte[] lying = png(4000, 4000, 2, 10); // 16 Mpx declared, ten rows of data
    String reason = refusedWithin(40 << 20, () -> images.decode(image(ImageFormat.PNG, lying)));
    assertTrue(reason.contains("cannot be decoded"), reason);
    byte[] cut = Arrays.copyOf(Events.pngBytes(3, 64, 64), 200);
    assertThrows(BadInputException.class, () -> images.decode(image(ImageFormat.PNG, cut)));
  }

  @Test
  void aLargeValidImageIsReadSubsampledNotAtFullSize() throws Exception {
    byte[] big = png(3000, 2000, 0, 2000); // 6 Mpx grey of zeros: valid, small file
    BufferedImage decoded = images.decode(image(ImageFormat.PNG, big));
    assertTrue((long) decoded.getWidth() * decoded.getHeight() <= InputLimits.DECODED_IMAGE_PIXELS,
        decoded.getWidth() + "x" + decoded.getHeight());
    assertEquals(1.5, decoded.getWidth() / (double) decoded.getHeight(), 0.01, "aspect kept");
    assertEquals(3, ImageDecoder.subsampling(3000, 2000));
    assertEquals(1, ImageDecoder.subsampling(1024, 1024));
  }

  @Test
  void badAndLyingRawAndOddBytesAreRefusedWithTheirReason() {
    assertTrue(refused(() -> images.decode(raw(100_000, 100_000, 10))).contains("max-image-pixels"));
    assertTrue(refused(() -> images.decode(raw(10, 10, 99))).contains("carries 99"));
    assertTrue(refused(() -> images.decode(raw(-3, 10, 30))).contains("positive"));
    assertTrue(refused(() -> images.decode(image(ImageFormat.PNG, new byte[0]))).contains("empty"));
    assertTrue(refused(() -> images.decode(image(ImageFormat.PNG,
        "hello, not an image at all".getBytes(StandardCharsets.UTF_8)))).contains("not a PNG"));
  }

  // --- audio ---

  @Test
  void aWavDeclaringMoreDataThanItCarriesIsRefused() {
    byte[] wav = Events.wavBytes(1, 16_000, 1, 1600);
    ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 500_000_000);
    String reason = refusedWithin(2 << 20, () -> audio.decode(wav(wav)));
    assertTrue(reason.contains("declares 500000000 bytes but only 3200 follow"), reason);
  }

  @Test
  void aStreamedWavWithUnknownLengthIsReadToItsEnd() {
    byte[] wav = Events.wavBytes(1, 16_000, 1, 1600);
    ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0xFFFFFFFF);
    assertEquals(1600, audio.decode(wav(wav)).samples().length);
  }

  @Test
  void audioLongerThanTheLimitIsCutNotRefused() {
    AudioClip clip = audio.decode(wav(Events.wavBytes(1, 8000, 1, 8000 * 70)));
    assertEquals(8000 * 60, clip.samples().length, "cut at kinfer.limits.max-audio-seconds");
  }

  @Test
  void impossibleAudioFormatsAreRefusedWithTheirReason() {
    assertTrue(refused(() -> audio.decode(wav(withFmt(0, 16_000, 16)))).contains("channels"));
    assertTrue(refused(() -> audio.decode(wav(withFmt(1, 0, 16)))).contains("sample rate"));
    assertTrue(refused(() -> audio.decode(wav(withFmt(1, 2_000_000_000, 16))))
        .contains("sample rate"));
    assertTrue(refused(() -> audio.decode(wav(withFmt(1, 16_000, 7)))).contains("7-bit"));
    assertTrue(refused(() -> audio.decode(AudioEvent.newBuilder().setEnvelope(envelope())
        .setEncoding(AudioEncoding.PCM16LE).setAudio(ByteBuffer.wrap(new byte[1])).build()))
        .contains("no samples"));
  }

  // --- text ---

  @Test
  void longTextIsCutToTheLimitAndBlankTextRefused() {
    String cut = texts.decode(text("word ".repeat(20_000)));
    assertEquals(InputLimits.DEFAULT.maxTextChars(), cut.length());
    String surrogates = "a" + "\uD83D\uDE00".repeat(6000); // an emoji is two chars
    assertTrue(!Character.isHighSurrogate(texts.decode(text(surrogates))
        .charAt(InputLimits.DEFAULT.maxTextChars() - 2)), "never cut between a surrogate pair");
    assertTrue(refused(() -> texts.decode(text(" \t\n"))).contains("blank"));
  }

  @Test
  void invalidUtf8IsReadWithReplacementCharactersNotRefused() {
    byte[] encoded = AvroSerde.of(TextEvent.class).encode(text("ab"));
    // The text field's two bytes are last: make them an invalid UTF-8 sequence.
    encoded[encoded.length - 3] = (byte) 0xC3;
    encoded[encoded.length - 2] = (byte) 0x28;
    // (the language union's null branch is the last byte)
    TextEvent odd = AvroSerde.of(TextEvent.class).decode(encoded);
    assertEquals("\uFFFD(", texts.decode(odd));
  }

  // --- Avro length attacks ---

  @Test
  void avroLengthsLargerThanTheRecordAreRefusedWithoutAllocatingThem() {
    // An ImageEvent whose image bytes claim a gigabyte, in a record of a few dozen bytes.
    byte[] valid = AvroSerde.of(ImageEvent.class).encode(image(ImageFormat.PNG, new byte[] {1}));
    int at = indexOfImageLength(valid);
    byte[] attack = Arrays.copyOf(valid, valid.length + 8);
    byte[] gigabyte = zigzagVarint(1L << 30);
    System.arraycopy(valid, at + 1, attack, at + gigabyte.length, valid.length - at - 1);
    System.arraycopy(gigabyte, 0, attack, at, gigabyte.length);
    refusedWithin(2 << 20, () -> AvroSerde.of(ImageEvent.class).decode(attack));
    // Negative lengths, and a string that claims more than there is.
    attack[at] = 3; // zigzag -2
    assertThrows(RuntimeException.class, () -> AvroSerde.of(ImageEvent.class).decode(attack));
    byte[] text = AvroSerde.of(TextEvent.class).encode(text("ab"));
    byte[] lying = Arrays.copyOf(text, text.length);
    lying[lying.length - 4] = 0x7e; // the text's length: 63 chars, of 2
    refusedWithin(2 << 20, () -> AvroSerde.of(TextEvent.class).decode(lying));
  }

  // --- helpers ---

  /** Runs {@code decode}, expects a refusal, and checks it allocated under {@code maxBytes}. */
  private static String refusedWithin(long maxBytes, Executable decode) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    RuntimeException e = assertThrows(RuntimeException.class, decode);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < maxBytes, "refused after allocating " + allocated + " bytes (at most "
        + maxBytes + "): " + e.getMessage());
    return e.getMessage();
  }

  private static String refused(Executable decode) {
    return assertThrows(BadInputException.class, decode).getMessage();
  }

  private static Envelope envelope() {
    return Envelope.newBuilder().setEventId("hostile").setSource("test")
        .setEventTime(Instant.EPOCH).build();
  }

  static ImageEvent image(ImageFormat format, byte[] bytes) {
    return ImageEvent.newBuilder().setEnvelope(envelope()).setFormat(format)
        .setImage(ByteBuffer.wrap(bytes)).build();
  }

  private static ImageEvent raw(int width, int height, int bytes) {
    return ImageEvent.newBuilder().setEnvelope(envelope()).setFormat(ImageFormat.RAW)
        .setImage(ByteBuffer.wrap(new byte[bytes])).setWidth(width).setHeight(height).build();
  }

  private static AudioEvent wav(byte[] bytes) {
    return AudioEvent.newBuilder().setEnvelope(envelope()).setEncoding(AudioEncoding.WAV)
        .setAudio(ByteBuffer.wrap(bytes)).build();
  }

  private static TextEvent text(String text) {
    return TextEvent.newBuilder().setEnvelope(envelope()).setText(text).build();
  }

  private static byte[] withFmt(int channels, int sampleRate, int bits) {
    byte[] wav = Events.wavBytes(1, 16_000, 1, 160);
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(22, (short) channels).putInt(24, sampleRate).putShort(34, (short) bits);
    return wav;
  }

  /**
   * A PNG declaring {@code width x height} (colour type 0 grey or 2 RGB, 8 bits) whose data
   * holds {@code rows} rows of zeros: a bomb when rows is small against height... or the whole
   * image when rows = height.
   */
  static byte[] png(int width, int height, int colourType, int rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
        .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    int rowBytes = 1 + width * (colourType == 2 ? 3 : 1);
    Deflater deflater = new Deflater(9);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[rowBytes];
    byte[] buffer = new byte[65_536];
    for (int r = 0; r < rows; r++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    if (rows == height) {
      deflater.finish();
      while (!deflater.finished()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    } else {
      idat.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer header = ByteBuffer.allocate(8).putInt(data.length)
        .put(type.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(header.array());
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] jpeg(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "jpeg", out);
    return out.toByteArray();
  }

  /** Rewrites the size in a baseline JPEG's SOF0 segment. */
  private static void patchJpegSize(byte[] jpeg, int width, int height) {
    for (int i = 2; i + 9 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
        ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) height).putShort((short) width);
        return;
      }
    }
    throw new AssertionError("no SOF0 segment");
  }

  /** Where the image bytes' length (1, zigzag 2) sits: just before the single byte 1. */
  private static int indexOfImageLength(byte[] encoded) {
    for (int i = 0; i + 1 < encoded.length; i++) {
      if (encoded[i] == 2 && encoded[i + 1] == 1) {
        return i;
      }
    }
    throw new AssertionError("image length not found");
  }

  private static byte[] zigzagVarint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }
}
