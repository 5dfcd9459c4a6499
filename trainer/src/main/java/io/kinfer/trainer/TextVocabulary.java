package io.kinfer.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The placeholder text model's word-level vocabulary and its Hugging Face {@code tokenizer.json}
 * (lower-casing, whitespace/punctuation split, [CLS] prefix, [PAD]=0, [UNK]=1).
 */
final class TextVocabulary {

  static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]");

  private static final String WORDS = """
      a an the of or and in on at to for with by from as is that which who used made
      person man woman child someone somebody member worker expert leader
      plant tree flower shrub herb grass genus family leaf seed fruit root
      animal bird fish insect mammal dog cat horse reptile snake
      act action activity process making doing work game sport play
      communication message language word speech writing book letter sign
      state condition situation quality disease feeling health
      place location area region city country land water sea river
      attribute property size shape color form character
      substance material chemical food drink metal liquid gas solid oil
      artifact object device instrument tool machine structure building vehicle weapon
      container clothing cloth wood stone glass paper small large long short
      having being not any some other one two part kind type group use
      """;

  private TextVocabulary() {}

  static List<String> words() {
    TreeSet<String> unique = new TreeSet<>();
    for (String w : WORDS.trim().split("\\s+")) {
      unique.add(w.toLowerCase(Locale.ROOT));
    }
    return new ArrayList<>(unique);
  }

  static String tokenizerJson(List<String> words) {
    StringBuilder vocab = new StringBuilder();
    StringBuilder added = new StringBuilder();
    int id = 0;
    for (String special : SPECIAL_TOKENS) {
      vocab.append(id == 0 ? "" : ",").append('"').append(special).append("\":").append(id);
      added.append(id == 0 ? "" : ",").append("{\"id\":").append(id).append(",\"content\":\"")
          .append(special).append("\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
              + "\"normalized\":false,\"special\":true}");
      id++;
    }
    for (String w : words) {
      vocab.append(",\"").append(w).append("\":").append(id++);
    }
    return """
        {"version":"1.0","truncation":null,"padding":null,
         "added_tokens":[%s],
         "normalizer":{"type":"Lowercase"},
         "pre_tokenizer":{"type":"Whitespace"},
         "post_processor":{"type":"TemplateProcessing",
          "single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
          "pair":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],
          "special_tokens":{"[CLS]":{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]}}},
         "decoder":null,
         "model":{"type":"WordLevel","vocab":{%s},"unk_token":"[UNK]"}}
        """.formatted(added, vocab);
  }
}
