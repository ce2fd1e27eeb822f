package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Method;
import java.util.Set;

/**
 * How far an engine call for {@code methods} is: {@code fraction} in [0, 1], or negative when unknown; {@code what}
 * is the engine's word for the current step.
 */
public record MethodProgress(Set<Method> methods, double fraction, String what) {}
