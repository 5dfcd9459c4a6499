package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SourceColourTest {

  /** Gain in dB of the colouring on a steady tone (the first quarter second skipped). */
  private static double gainDb(SourceColour colour, double hz) {
    float[] tone = new float[LogMel.SAMPLE_RATE];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (float) (0.1 * Math.sin(2 * Math.PI * hz * i / LogMel.SAMPLE_RATE));
    }
    float[] out = colour.apply(tone);
    double in = 0;
    double coloured = 0;
    for (int i = tone.length / 4; i < tone.length; i++) {
      in += tone[i] * tone[i];
      coloured += out[i] * out[i];
    }
    return 10 * Math.log10(coloured / in);
  }

  @Test
  void boostsTheFundamentalRegionAndTiltsTheHighBand() {
    SourceColour colour = new SourceColour(200, 12, 1, 6);
    assertEquals(12, gainDb(colour, 200), 0.3, "the boost at its centre");
    assertEquals(0, gainDb(colour, 1000), 1.0, "mid band almost untouched");
    assertEquals(6, gainDb(colour, 7000), 0.3, "the shelf well above its corner");
  }

  @Test
  void aFlatColouringLeavesSpeechAsItIs() {
    SourceColour flat = new SourceColour(200, 0, 1, 0);
    for (double hz : new double[] {100, 440, 3000, 7500}) {
      assertEquals(0, gainDb(flat, hz), 1e-3, hz + " Hz");
    }
  }

  @Test
  void randomColouringsStayInTheirRangesAndFollowTheSeed() {
    Random random = new Random(3);
    for (int i = 0; i < 1000; i++) {
      SourceColour c = SourceColour.random(random);
      assertTrue(c.lowHz() >= 90 && c.lowHz() <= 350, "centre " + c.lowHz());
      assertTrue(c.lowGainDb() >= 3 && c.lowGainDb() <= 20, "boost " + c.lowGainDb());
      assertTrue(c.lowQ() >= 0.5 && c.lowQ() <= 1.5, "q " + c.lowQ());
      assertTrue(c.shelfGainDb() >= -6 && c.shelfGainDb() <= 6, "shelf " + c.shelfGainDb());
    }
    assertEquals(SourceColour.random(new Random(9)), SourceColour.random(new Random(9)));
  }
}
