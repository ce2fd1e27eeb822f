package io.saliencystudio.engine.audit;

/** A file an audit did not count, and why (unknown label, unreadable image, no row in labels.csv...). */
public record Skipped(String file, String reason) {}
