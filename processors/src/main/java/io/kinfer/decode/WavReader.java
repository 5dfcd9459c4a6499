package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.decode.AudioClip;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes WAV files (PCM 8/16/24/32-bit or IEEE float 32) and raw PCM16LE into mono float
 * samples in [-1, 1]. Channels are averaged.
 */
final class WavReader {

  private WavReader() {}

  /** @param maxSeconds audio beyond this is cut off */
  static AudioClip wav(byte[] bytes, int maxSeconds) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || in.getInt(0) != 0x46464952 /* RIFF */
        || in.getInt(8) != 0x45564157 /* WAVE */) {
      throw new BadInputException("audio says WAV but its " + bytes.length
          + " bytes do not start with a RIFF/WAVE header");
    }
    int format = -1;
    int channels = 0;
    int sampleRate = 0;
    int bits = 0;
    int at = 12;
    while (at + 8 <= bytes.length) {
      int id = in.getInt(at);
      long size = Integer.toUnsignedLong(in.getInt(at + 4));
      int body = at + 8;
      if (id == 0x20746d66 /* "fmt " */ && size >= 16 && body + 16 <= bytes.length) {
        format = Short.toUnsignedInt(in.getShort(body));
        channels = Short.toUnsignedInt(in.getShort(body + 2));
        sampleRate = in.getInt(body + 4);
        bits = Short.toUnsignedInt(in.getShort(body + 14));
        if (format == 0xFFFE && size >= 26) { // WAVE_FORMAT_EXTENSIBLE: sub-format's first 2 bytes
          format = Short.toUnsignedInt(in.getShort(body + 24));
        }
      } else if (id == 0x61746164 /* "data" */) {
        if (format < 0) {
          throw new BadInputException("WAV has a data chunk before its fmt chunk");
        }
        long present = bytes.length - body;
        // 0 and 0xFFFFFFFF mean "unknown length" (streamed WAV writers): read to the end.
        boolean unknown = size == 0 || size == 0xFFFFFFFFL;
        if (!unknown && size > present) {
          throw new BadInputException("WAV data chunk declares " + size + " bytes but only "
              + present + " follow: the file is cut short");
        }
        int length = (int) (unknown ? present : size);
        return samples(in, body, length, format, channels, sampleRate, bits, maxSeconds);
      }
      at = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
    }
    throw new BadInputException("WAV has no " + (format < 0 ? "fmt" : "data") + " chunk");
  }

  static AudioClip pcm16(byte[] bytes, int sampleRate, int channels, int maxSeconds) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return samples(in, 0, bytes.length, 1, channels, sampleRate, 16, maxSeconds);
  }

  private static AudioClip samples(ByteBuffer in, int offset, int length, int format,
      int channels, int sampleRate, int bits, int maxSeconds) {
    if (format != 1 && format != 3) {
      throw new BadInputException("WAV format tag " + format + " is not PCM (1) or float (3);"
          + " convert it with sox in.wav -e signed -b 16 out.wav");
    }
    if (channels < 1 || channels > 8) {
      throw new BadInputException("audio has " + channels + " channels; 1 to 8 are accepted");
    }
    if (sampleRate < 4_000 || sampleRate > 192_000) {
      throw new BadInputException("audio sample rate " + sampleRate
          + " Hz is outside 4000-192000 Hz");
    }
    if ((format == 1 && bits != 8 && bits != 16 && bits != 24 && bits != 32)
        || (format == 3 && bits != 32)) {
      throw new BadInputException("audio has " + bits + "-bit samples of format " + format
          + "; PCM 8/16/24/32-bit or float 32 are accepted");
    }
    int frameBytes = bits / 8 * channels;
    int frames = length / frameBytes;
    if (frames == 0) {
      throw new BadInputException("audio holds no samples (" + length + " bytes)");
    }
    // Longer audio is cut off (kinfer.limits.max-audio-seconds), before anything is allocated.
    frames = (int) Math.min(frames, (long) maxSeconds * sampleRate);
    float[] mono = new float[frames];
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        int p = offset + f * frameBytes + c * (bits / 8);
        sum += sample(in, p, format, bits);
      }
      mono[f] = (float) (sum / channels);
    }
    return new AudioClip(mono, sampleRate);
  }

  private static double sample(ByteBuffer in, int p, int format, int bits) {
    if (format == 3) {
      return in.getFloat(p);
    }
    return switch (bits) {
      case 8 -> (Byte.toUnsignedInt(in.get(p)) - 128) / 128.0;
      case 16 -> in.getShort(p) / 32768.0;
      case 24 -> ((in.get(p) & 0xFF) | (in.get(p + 1) & 0xFF) << 8 | in.get(p + 2) << 16)
          / 8388608.0;
      default -> in.getInt(p) / 2147483648.0;
    };
  }
}
