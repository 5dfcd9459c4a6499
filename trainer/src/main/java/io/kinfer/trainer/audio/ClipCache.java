package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One split's clips in a compact file: a header, then per clip its label, word, speaker and
 * 16 000 samples as 16-bit PCM. Clips are generated already rounded to 16 bits (see
 * {@link Augmentation}), so a cached load returns exactly what generation returned.
 */
final class ClipCache {

  static final float PCM16_SCALE = 32767f;

  private static final int MAGIC = 0x4b575331; // "KWS1"

  private ClipCache() {}

  static void write(Path file, List<KeywordClip> clips) throws IOException {
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    ByteBuffer pcm = ByteBuffer.allocate(LogMel.SAMPLES * 2).order(ByteOrder.LITTLE_ENDIAN);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(partial), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(clips.size());
      for (KeywordClip clip : clips) {
        out.writeInt(clip.label());
        out.writeUTF(clip.word());
        out.writeUTF(clip.speaker());
        pcm.clear();
        for (float v : clip.samples()) {
          pcm.putShort((short) Math.round(v * PCM16_SCALE));
        }
        out.write(pcm.array());
      }
    }
    // Rename last, so an interrupted run never leaves a truncated file under the real name.
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static List<KeywordClip> read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a keyword clip file");
      }
      int count = in.readInt();
      List<KeywordClip> clips = new ArrayList<>(count);
      byte[] bytes = new byte[LogMel.SAMPLES * 2];
      ByteBuffer pcm = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int c = 0; c < count; c++) {
        int label = in.readInt();
        String word = in.readUTF();
        String speaker = in.readUTF();
        in.readFully(bytes);
        float[] samples = new float[LogMel.SAMPLES];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = pcm.getShort(2 * i) / PCM16_SCALE;
        }
        clips.add(new KeywordClip(samples, label, word, speaker));
      }
      return clips;
    }
  }
}
