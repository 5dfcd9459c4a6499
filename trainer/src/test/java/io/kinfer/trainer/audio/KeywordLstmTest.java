package io.kinfer.trainer.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeywordLstmTest {

  @Test
  void theCepstralMatrixIsTheOrthonormalDct() {
    float[][] full = KeywordLstm.dct(40, 40);
    for (int a = 0; a < 40; a++) {
      for (int b = 0; b < 40; b++) {
        double dot = 0;
        for (int n = 0; n < 40; n++) {
          dot += (double) full[n][a] * full[n][b];
        }
        assertEquals(a == b ? 1 : 0, dot, 1e-5, "columns " + a + " and " + b);
      }
    }
    // A flat frame has only a mean: all of it in c0, nothing in the others.
    float[][] first13 = KeywordLstm.dct(40, 13);
    for (int k = 0; k < 13; k++) {
      double c = 0;
      for (int n = 0; n < 40; n++) {
        c += first13[n][k];
      }
      assertEquals(k == 0 ? Math.sqrt(40) : 0, c, 1e-4, "c" + k + " of a flat frame");
    }
  }

  @Test
  void moreCepstraThanBandsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new KeywordLstm(98, 40, 41, 8, 12, 0f));
  }
}
