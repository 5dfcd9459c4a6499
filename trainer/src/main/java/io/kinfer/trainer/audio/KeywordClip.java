package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

/**
 * One labelled second of keyword audio, already passed through {@link LogMel#fit}.
 *
 * @param samples exactly {@link LogMel#SAMPLES} mono samples at 16 kHz in [-1, 1]; shared, do
 *     not modify (records compare arrays by identity)
 * @param label index into {@link KeywordData#LABELS}
 * @param word the word spoken ({@code ""} for {@code _silence_}); for {@code _unknown_}, which
 *     non-keyword it is
 * @param speaker who spoke it, e.g. {@code espeak-ng en-us+m3} or {@code flite slt};
 *     {@code noise} for {@code _silence_}
 */
public record KeywordClip(float[] samples, int label, String word, String speaker) {}
