package io.kinfer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.decode.BadInputException;
import io.kinfer.decode.AudioClip;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavReaderTest {

  @Test
  void decodesStereo16BitWavToMonoAtItsOwnRate() {
    AudioClip clip = WavReader.wav(Events.wavBytes(1, 22_050, 2, 1000), 60);
    assertEquals(22_050, clip.sampleRate());
    assertEquals(1000, clip.samples().length);
    float max = 0;
    for (float v : clip.samples()) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max > 0.1 && max <= 1, "tone of amplitude ~0.25, got " + max);
  }

  @Test
  void decodesRawPcm16Le() {
    ByteBuffer pcm = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    pcm.putShort((short) 16384).putShort((short) -16384).putShort((short) 0)
        .putShort(Short.MAX_VALUE);
    AudioClip clip = WavReader.pcm16(pcm.array(), 16_000, 1, 60);
    assertEquals(4, clip.samples().length);
    assertEquals(0.5f, clip.samples()[0], 1e-6);
    assertEquals(-0.5f, clip.samples()[1], 1e-6);
    // Two channels average to mono.
    AudioClip stereo = WavReader.pcm16(pcm.array(), 16_000, 2, 60);
    assertEquals(2, stereo.samples().length);
    assertEquals(0f, stereo.samples()[0], 1e-6);
  }

  @Test
  void skipsUnknownChunksBeforeData() {
    byte[] plain = Events.wavBytes(2, 16_000, 1, 100);
    ByteBuffer wav = ByteBuffer.allocate(plain.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    wav.put(plain, 0, 36); // RIFF header + fmt chunk
    wav.putInt(0x5453494c).putInt(3).put(new byte[] {1, 2, 3, 0}); // "LIST", odd size, pad byte
    wav.put(plain, 36, plain.length - 36);
    assertEquals(100, WavReader.wav(Arrays.copyOf(wav.array(), wav.position()), 60)
        .samples().length);
  }

  @Test
  void rejectsWhatIsNotAWavWithAReason() {
    var notRiff = assertThrows(BadInputException.class,
        () -> WavReader.wav("hello world, no audio".getBytes(StandardCharsets.UTF_8), 60));
    assertTrue(notRiff.getMessage().contains("RIFF/WAVE"), notRiff.getMessage());
    byte[] truncated = Arrays.copyOf(Events.wavBytes(1, 16_000, 1, 100), 40);
    assertThrows(BadInputException.class, () -> WavReader.wav(truncated, 60));
    var rate = assertThrows(BadInputException.class,
        () -> WavReader.pcm16(new byte[10], 100, 1, 60));
    assertTrue(rate.getMessage().contains("100 Hz"), rate.getMessage());
    assertThrows(BadInputException.class, () -> WavReader.pcm16(new byte[1], 16_000, 1, 60));
  }
}
