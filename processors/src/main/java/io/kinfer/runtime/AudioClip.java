package io.kinfer.runtime;

/** Decoded audio: mono samples in [-1, 1] at their own sample rate. */
public record AudioClip(float[] samples, int sampleRate) {}
