package io.kinfer.trainer.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AudioTrainingTest {

  @Test
  void accuracyIsReportedPerSpeakerInNameOrder() {
    float[] none = new float[0];
    List<KeywordClip> clips = List.of(new KeywordClip(none, 0, "yes", "flite slt"),
        new KeywordClip(none, 1, "no", "flite slt"), new KeywordClip(none, 1, "no", "flite awb"));
    float[][] outputs = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.3f, 0.7f}};
    assertEquals("flite awb 100.00%, flite slt 50.00%",
        AudioTraining.accuracyBySpeaker(clips, outputs));
  }
}
