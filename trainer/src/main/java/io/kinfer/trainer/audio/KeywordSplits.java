package io.kinfer.trainer.audio;

import java.util.List;

/**
 * The keyword data's four speaker-disjoint splits, each in generation order: by synthesizer or
 * voice, then by label (shuffle before training).
 *
 * @param train espeak-ng, festival and recorded English voices, for fitting weights
 * @param validation espeak-ng variants held out of {@code train}: how well the model knows the
 *     synthesizer it learned from
 * @param development festival voices of neither train nor test, for model selection: how well
 *     it hears voices it has not met
 * @param test flite voices, never used for training or selection
 */
public record KeywordSplits(List<KeywordClip> train, List<KeywordClip> validation,
    List<KeywordClip> development, List<KeywordClip> test) {}
