package io.saliencystudio.app.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the user was working on, as written to {@code session.json}: the model, the listed images in order, the
 * selected one, and per image the class and layer last explained (with the model they belong to, since a class index
 * means nothing to another model) and the user's note. Paths are absolute strings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionState(int format, String model, String selected, List<Image> images) {

    public static final int FORMAT = 1;

    public SessionState {
        images = images == null ? List.of() : List.copyOf(images);
    }

    /**
     * One listed image.
     *
     * @param model the model {@code classIndex} and {@code layer} were chosen with ({@code null}: none chosen)
     * @param classIndex the class asked for ({@code null}: the top prediction)
     * @param layer the layer's display name ({@code null}: the model's default)
     * @param note the user's note ({@code null}: none)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String path, String model, Integer classIndex, String layer, String note) {}
}
