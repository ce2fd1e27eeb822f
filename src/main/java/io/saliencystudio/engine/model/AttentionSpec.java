package io.saliencystudio.engine.model;

import java.util.List;

/**
 * What a package's manifest says about the attention maps its TorchScript exposes ({@code "attention"} in
 * {@code models/FORMAT.md}): {@code method(x, probe)} returns {@code (logits, A + probe)} with {@code A} and
 * {@code probe} shaped {@code (N, layers, heads, tokens, tokens)}, the attention probabilities of every block.
 * The first {@code prefixTokens} tokens are not on the grid (the class token first); the rest are the
 * {@code gridHeight x gridWidth} patch grid in row-major order.
 *
 * @param modules the attention modules, one per layer, in order (for captions)
 */
public record AttentionSpec(String method, int layers, int heads, int tokens, int prefixTokens, int gridHeight,
        int gridWidth, List<String> modules) {

    public AttentionSpec {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("attention.method is missing");
        }
        if (layers <= 0 || heads <= 0 || gridHeight <= 0 || gridWidth <= 0 || prefixTokens < 1) {
            throw new IllegalArgumentException("attention needs positive layers, heads and grid, and at least one "
                    + "prefix token (the class token whose row is read)");
        }
        if (tokens != prefixTokens + gridHeight * gridWidth) {
            throw new IllegalArgumentException("attention.tokens (" + tokens + ") must equal prefixTokens + grid "
                    + "cells (" + prefixTokens + " + " + gridHeight + " x " + gridWidth + ")");
        }
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    /** Floats of one image's maps (or probe): {@code layers * heads * tokens * tokens}. */
    public int size() {
        return layers * heads * tokens * tokens;
    }

    /** For captions: e.g. "12 layers x 12 heads, 197 tokens -> 14x14 + 1". */
    public String describe() {
        return layers + " layers x " + heads + " heads, " + tokens + " tokens -> " + gridHeight + "x" + gridWidth
                + " + " + prefixTokens;
    }
}
