package io.kinfer.trainer.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NaiveBayesTest {

  private static final int ANIMAL = 0;
  private static final int PLANT = 1;
  private static final List<Gloss> TRAIN = List.of(
      new Gloss(1, "a small dog that barks", ANIMAL),
      new Gloss(2, "a wild cat that hunts mice", ANIMAL),
      new Gloss(3, "a bird that sings (songbird)", ANIMAL),
      new Gloss(4, "a tall tree with broad leaves", PLANT),
      new Gloss(5, "a flowering shrub with red leaves", PLANT));

  @Test
  void predictsTheLabelWhoseWordsTheTextShares() {
    NaiveBayes bayes = NaiveBayes.train(TRAIN, 2);
    assertEquals(ANIMAL, bayes.predict("a Dog that hunts"));
    assertEquals(PLANT, bayes.predict("leaves of a shrub"));
    assertEquals(ANIMAL, bayes.predict("SONGBIRD!"), "lower-cased, punctuation dropped");
    assertEquals(1.0, bayes.accuracy(TRAIN));
  }

  @Test
  void unseenWordsLeaveThePriorToDecide() {
    NaiveBayes bayes = NaiveBayes.train(TRAIN, 2);
    assertEquals(ANIMAL, bayes.predict("zebra quagga"), "3 of 5 training glosses are animals");
    assertEquals(0.5, bayes.accuracy(List.of(new Gloss(6, "oak tree", PLANT),
        new Gloss(7, "oak tree", ANIMAL))));
  }

  @Test
  void refusesLabelsOutsideTheRangeAndEmptyInput() {
    assertThrows(IllegalArgumentException.class,
        () -> NaiveBayes.train(List.of(new Gloss(1, "a dog", 2)), 2));
    assertThrows(IllegalArgumentException.class, () -> NaiveBayes.train(List.of(), 2));
    assertThrows(IllegalArgumentException.class,
        () -> NaiveBayes.train(TRAIN, 2).accuracy(List.of()));
  }
}
