package io.saliencystudio.app.service;

import io.saliencystudio.engine.image.ModelInput;

/** An image decoded once and made ready for one model: its preview and the tensor the model takes. */
public record PreparedImage(ImageSource source, Thumbnail thumbnail, ModelInput input) {}
