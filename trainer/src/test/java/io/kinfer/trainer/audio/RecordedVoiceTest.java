package io.kinfer.trainer.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kinfer.trainer.audio.SpeechSynthesizers.Engine;
import io.kinfer.trainer.audio.SpeechSynthesizers.RecordedVoice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedVoiceTest {

  private static final Path WAV = Path.of("/tmp/word.wav");

  private static RecordedVoice voice(Engine engine) {
    return SpeechSynthesizers.RECORDED_VOICES.stream().filter(v -> v.engine() == engine)
        .findFirst().orElseThrow();
  }

  @Test
  void speedAndPitchOneAreEachEnginesOwnDefaults() {
    // The defaults measured on Debian 12: espeak-ng -s 175 -p 50, RHVoice and Pico 100%.
    assertEquals(List.of("espeak-ng", "-v", "mb-us1", "-s", "175", "-p", "50", "-w",
        WAV.toString(), "up"), voice(Engine.MBROLA).command("up", 1, 1, WAV));
    assertEquals(List.of("RHVoice-test", "-p", "bdl", "-r", "100", "-t", "100", "-o",
        WAV.toString()), voice(Engine.RHVOICE).command("up", 1, 1, WAV));
    assertEquals(List.of("pico2wave", "-l", "en-US", "-w", WAV.toString(),
        "<speed level='100'><pitch level='100'>up</pitch></speed>"),
        voice(Engine.PICO).command("up", 1, 1, WAV));
  }

  @Test
  void speedAndPitchScaleEveryEnginesSetting() {
    assertEquals(List.of("espeak-ng", "-v", "mb-us1", "-s", "140", "-p", "60", "-w",
        WAV.toString(), "go?"), voice(Engine.MBROLA).command("go?", 0.8, 1.2, WAV));
    assertEquals(List.of("RHVoice-test", "-p", "bdl", "-r", "80", "-t", "120", "-o",
        WAV.toString()), voice(Engine.RHVOICE).command("go?", 0.8, 1.2, WAV));
    assertEquals("<speed level='80'><pitch level='120'>go?</pitch></speed>",
        voice(Engine.PICO).command("go?", 0.8, 1.2, WAV).get(5));
  }

  @Test
  void noRecordedVoiceIsATestSpeaker() {
    // RHVoice's alan is CMU ARCTIC's awb, and its slt is slt: both speak in the flite test.
    for (RecordedVoice voice : SpeechSynthesizers.RECORDED_VOICES) {
      for (String testVoice : List.of("alan", "awb", "slt", "rms", "kal")) {
        assertFalse(voice.id().contains(testVoice), voice + " is a test speaker");
      }
    }
  }
}
