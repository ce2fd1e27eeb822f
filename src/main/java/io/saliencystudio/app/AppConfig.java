package io.saliencystudio.app;

import io.saliencystudio.engine.model.ModelFolders;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the app finds things. Defaults suit {@code mvn javafx:run} from the project folder; system properties
 * override them ({@code saliency.models.dir}, {@code saliency.samples.dir}, {@code saliency.log.dir}).
 *
 * @param modelsDir the bundled model packages ({@code saliency.models.dir}, set by the installed launcher)
 * @param resultCacheBytes budget for cached maps (floats), shared by all models
 * @param imageCacheBytes budget for decoded, preprocessed images
 * @param userModelsDir the per-user models folder ({@link ModelFolders#userDir()}), listed after the bundled one
 *     and where "Open model…" adds models; {@code null} for none
 */
public record AppConfig(Path modelsDir, Path samplesDir, Path logDir, Path pasteDir, long resultCacheBytes,
        long imageCacheBytes, Path userModelsDir) {

    /** A configuration without a per-user models folder. */
    public AppConfig(Path modelsDir, Path samplesDir, Path logDir, Path pasteDir, long resultCacheBytes,
            long imageCacheBytes) {
        this(modelsDir, samplesDir, logDir, pasteDir, resultCacheBytes, imageCacheBytes, null);
    }

    /** The folders the model picker lists: bundled first, then the user's (once it exists). */
    public List<Path> modelFolders() {
        return ModelFolders.scanOrder(modelsDir, userModelsDir);
    }

    public static AppConfig fromSystemProperties() {
        Path home = Path.of(System.getProperty("user.home"), ".saliency-studio");
        Path models = ModelFolders.bundledDir();
        Path samples = ModelFolders.shipped(System.getProperty("saliency.samples.dir"), "assets/samples");
        Path logs = Path.of(System.getProperty("saliency.log.dir", home.resolve("logs").toString()));
        return new AppConfig(models, samples, logs, home.resolve("pasted"), 256L << 20, 256L << 20,
                ModelFolders.userDir());
    }

    /** Where the data set view remembers audits ({@code audits} beside the log folder, as the session file). */
    public Path auditsDir() {
        return logDir.toAbsolutePath().resolveSibling("audits");
    }

    /**
     * Where the session is kept: {@code saliency.session.file} if set, else {@code session.json} beside the log
     * folder (by default {@code ~/.saliency-studio/session.json}; in tests, inside their temporary folder).
     */
    public Path sessionFile() {
        String given = System.getProperty("saliency.session.file");
        return given != null ? Path.of(given) : logDir.toAbsolutePath().resolveSibling("session.json");
    }
}
