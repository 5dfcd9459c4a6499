package io.kinfer.trainer.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordNetGlossesTest {

  @Test
  void definitionDropsUsageExamplesButKeepsQuotedPhrasesInside() {
    assertEquals("a member of the genus Canis", WordNetGlosses.definition(
        "a member of the genus Canis; \"the dog barked all night\"  "));
    assertEquals("the act of substitution", WordNetGlosses.definition(
        "the act of substitution: \"he sent Smith in for Jones\""));
    assertEquals("promise of reward as in \"carrot and stick\"", WordNetGlosses.definition(
        "promise of reward as in \"carrot and stick\"; \"used the carrot\";"));
  }

  @Test
  void parsesCategoriesKeepsTheTenLargestAndSplitsBySynset() {
    List<String> lines = new ArrayList<>(List.of("  1 This software and database is licensed"));
    int offset = 1000;
    // lex files 4..14: 11 categories, sizes 11..21, so the smallest (noun.act, 11) is dropped
    for (int lexFile = 4; lexFile <= 14; lexFile++) {
      for (int i = 0; i < lexFile + 7; i++) {
        lines.add(String.format("%08d %02d n 01 word%d 0 000 | gloss %d; \"example\"  ",
            offset, lexFile, i, offset));
        offset += 100;
      }
    }
    GlossSplits splits = WordNetGlosses.parse(lines, "test");

    assertEquals("noun.group", splits.labels().get(0), "largest first");
    assertEquals(10, splits.labels().size());
    assertFalse(splits.labels().contains("noun.act"), "11th category dropped");
    int total = splits.train().size() + splits.validation().size() + splits.test().size();
    assertEquals(12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 + 21, total);
    Gloss first = splits.train().isEmpty() ? splits.validation().get(0) : splits.train().get(0);
    assertTrue(first.text().matches("gloss \\d+"), first.text());
  }

  @Test
  void splitBucketsAreStableAndRoughlyEightyTenTen() {
    int[] buckets = new int[10];
    for (int offset = 0; offset < 100_000; offset += 7) {
      buckets[WordNetGlosses.bucket(offset)]++;
    }
    int n = 100_000 / 7 + 1;
    for (int bucket : buckets) {
      assertEquals(n / 10.0, bucket, n * 0.01);
    }
    assertEquals(WordNetGlosses.bucket(1740), WordNetGlosses.bucket(1740));
  }

  @Test
  void aLineThatIsNoNounSynsetIsReportedWithItsNumber() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> WordNetGlosses.parse(List.of("00001740 03 v 01 be 0 | gloss"), "data.noun"));
    assertTrue(e.getMessage().startsWith("data.noun line 1 "), e.getMessage());
  }
}
