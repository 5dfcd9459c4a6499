package io.kinfer.trainer.text;

/**
 * One example of the WordNet noun task: a synset's definition and the index of its
 * lexicographer category in {@link GlossSplits#labels()}.
 *
 * @param synsetOffset the synset's byte offset in {@code data.noun} (its WordNet id)
 * @param text the definition, without the synset's words and without usage examples
 * @param label index into the label list
 */
public record Gloss(int synsetOffset, String text, int label) {}
