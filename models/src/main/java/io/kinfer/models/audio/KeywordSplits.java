package io.kinfer.models.audio;

import java.util.List;

/**
 * The keyword data's three speaker-disjoint splits, each ordered by label, then by generation
 * index (shuffle before training).
 *
 * @param train espeak-ng voices and variants, for fitting weights
 * @param validation espeak-ng variants held out of {@code train}, for model selection
 * @param test flite voices, never used for training or selection
 */
public record KeywordSplits(List<KeywordClip> train, List<KeywordClip> validation,
    List<KeywordClip> test) {}
