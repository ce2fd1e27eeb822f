package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.saliencystudio.app.explain.FigureExport;
import io.saliencystudio.app.explain.FigureExportDialog;
import io.saliencystudio.app.explain.MapPanel;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.render.Colormap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A robot that uses the real window like an impatient user: a seeded random sequence of real actions (select images,
 * classes and layers, {@code [} and {@code ]}, opacity sliders, colormaps, add and remove panels, switch models,
 * evaluate, export a figure, cancel), each followed by a random pause that is often shorter than the work it started,
 * so requests overlap and supersede each other. Afterwards: nothing was logged as an error or thrown on the FX thread,
 * the FX thread's own work between two frames stayed small, and the screen shows exactly what the last request asked.
 * {@code -Drobot.steps=N -Drobot.seed=S} run it longer or differently (default 60 steps, about a minute).
 */
@Tag("timing")
class AppRobotTest extends WindowTestBase {

    private static final int STEPS = Integer.getInteger("robot.steps", 60);
    private static final long SEED = Long.getLong("robot.seed", 17);

    private final AtomicLong maxPulseCpuNanos = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final List<Throwable> fxErrors = new CopyOnWriteArrayList<>();
    private final List<String> log = new ArrayList<>();
    private volatile String lastAction = "";
    private volatile String worstPulseAction = "";

    @Test
    void randomUseLeavesNoErrorsNoStallsAndTheScreenShowsTheLastRequest() throws Exception {
        awaitFirstExplanation();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        FxPulseMonitor pulse = new FxPulseMonitor((cpu, gap) -> {
            frames.incrementAndGet();
            if (cpu > maxPulseCpuNanos.get()) {
                maxPulseCpuNanos.set(cpu);
                worstPulseAction = lastAction;
            }
        });
        onFx(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> fxErrors.add(e));
            pulse.start();
        });
        Random random = new Random(SEED);
        Path shapes = AppTestKit.MODELS.resolve("shapes");
        Path fashion = AppTestKit.MODELS.resolve("fashion-mnist");
        try {
            for (int step = 0; step < STEPS; step++) {
                act(random, shapes, fashion);
                Thread.sleep(random.nextInt(4) == 0 ? 600 : random.nextInt(150));
            }
            waitUntil("the last request answered", 120, () -> ctx.models().loaded() != null
                    && !ctx.models().loadingProperty().get() && !ctx.explain().busyProperty().get()
                    && ctx.explain().computing().isEmpty() && ctx.explain().outcome() != null
                    && ctx.explain().outcome().query().model() == ctx.models().loaded()
                    && ctx.images().selectedProperty().get() != null
                    && ctx.explain().outcome().query().image() == ctx.images().selectedProperty().get().source());
            AppTestKit.settle();
        } finally {
            onFx(pulse::stop);
            root.detachAppender(logged);
        }
        System.out.printf("robot: %d steps (seed %d), %d frames, longest FX-thread CPU between frames %.1f ms (after %s)%n",
                STEPS, SEED, frames.get(), maxPulseCpuNanos.get() / 1e6, worstPulseAction);
        System.out.println("robot actions: " + String.join(", ", log));

        assertThat(fxErrors).as("exceptions thrown on the FX thread").isEmpty();
        assertThat(logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ": "
                        + e.getThrowableProxy().getMessage())).toList()).as("errors logged").isEmpty();
        assertThat(frames.get()).as("frames drawn while the robot worked").isGreaterThan(50);
        // CPU time of the FX thread itself between frames (not time spent waiting for a core on a shared machine).
        // Healthy runs measure tens of ms; the bound catches a stall (work done on the FX thread), not a slow frame.
        assertThat(maxPulseCpuNanos.get() / 1e6).as("longest FX-thread work between two frames (ms CPU)")
                .isLessThan(500);
        assertScreenShowsTheLastRequest();
    }

    /** One random action, as a user would do it, on the FX thread (key presses through the robot). */
    private void act(Random random, Path shapes, Path fashion) throws Exception {
        int what = random.nextInt(100);
        String action;
        if (what < 18) {
            int n = onFx(() -> ctx.images().items().size());
            int i = random.nextInt(Math.max(1, n));
            action = "image " + i;
            onFx(() -> {
                if (i < ctx.images().items().size()) {
                    ctx.images().selectedProperty().set(ctx.images().items().get(i));
                }
            });
        } else if (what < 30) {
            action = "class";
            onFx(() -> {
                List<ClassScore> top = List.copyOf(ctx.explain().topClasses());
                if (!top.isEmpty()) {
                    ctx.explain().selectClass(top.get(random.nextInt(top.size())).index());
                }
            });
        } else if (what < 42) {
            KeyCode key = random.nextBoolean() ? KeyCode.CLOSE_BRACKET : KeyCode.OPEN_BRACKET;
            action = key == KeyCode.CLOSE_BRACKET ? "]" : "[";
            onFx(() -> stage.toFront());
            robot.type(key);
        } else if (what < 50) {
            action = "layer from the list";
            onFx(() -> {
                List<LayerTap> layers = ctx.explain().layers().stream().filter(LayerTap::spatial).toList();
                if (!layers.isEmpty()) {
                    ctx.explain().selectLayer(layers.get(random.nextInt(layers.size())));
                }
            });
        } else if (what < 58) {
            double value = random.nextInt(101);
            action = "opacity " + (int) value;
            onFx(() -> {
                List<Method> shown = List.copyOf(ctx.explain().methods());
                MapPanel p = window.panels().panel(shown.get(random.nextInt(shown.size())));
                PanelNodes.opacitySlider(p).setValue(value);
            });
        } else if (what < 63) {
            Colormap cm = Colormap.values()[random.nextInt(Colormap.values().length)];
            action = "colormap " + cm;
            onFx(() -> ctx.display().colormapProperty().set(cm));
        } else if (what < 73) {
            Method m = Method.values()[random.nextInt(Method.values().length)];
            action = "toggle panel " + m.id();
            onFx(() -> {
                if (ctx.explain().methods().contains(m)) {
                    if (ctx.explain().methods().size() > 1) {
                        ctx.explain().removeMethod(m);
                    }
                } else if (ctx.explain().available(m)) {
                    ctx.explain().addMethod(m);
                }
            });
        } else if (what < 77) {
            Path next = onFx(() -> ctx.models().loaded() != null
                    && ctx.models().loaded().modelPackage().location().endsWith("shapes")) ? fashion : shapes;
            action = "model " + next.getFileName();
            onFx(() -> ctx.models().open(next));
        } else if (what < 84) {
            action = "evaluate";
            onFx(() -> {
                List<Method> shown = List.copyOf(ctx.explain().methods());
                ctx.metrics().evaluate(shown.get(random.nextInt(shown.size())));
            });
        } else if (what < 89) {
            action = "cancel";
            onFx(() -> List.copyOf(ctx.explain().computing()).forEach(ctx.explain()::cancelMethod));
        } else if (what < 93) {
            action = "receptive-field placement";
            onFx(() -> ctx.explain().setSettings(ctx.explain().settings().withUpsampling(
                    ctx.explain().settings().upsampling() == Upsampling.BILINEAR ? Upsampling.RECEPTIVE_FIELD
                            : Upsampling.BILINEAR)));
        } else {
            action = "export figure";
            exportFigure();
        }
        lastAction = action;
        log.add(action);
    }

    /** The export dialog's preview, then the export itself into the test's folder, as Export figure… does. */
    private void exportFigure() throws Exception {
        ExplainOutcome out = onFx(() -> ctx.explain().outcome());
        if (out == null) {
            return;
        }
        FigureExport export = new FigureExport(ctx.io());
        FigureExportDialog dialog = onFx(() -> {
            FigureExportDialog d = new FigureExportDialog(stage, export, List.of(out),
                    ctx.display().colormapProperty().get(), ctx.display().opacityProperty(Method.SALIENCY).get(), 72);
            d.show();
            return d;
        });
        FigureExport.Settings settings = onFx(dialog::settings);
        onFx(dialog::close);
        Path file = tmp.resolve("robot-figure-" + log.size() + ".png");
        assertThat(onFx(() -> export.export(List.of(out), settings, file, f -> false)).get(60, TimeUnit.SECONDS))
                .isPresent();
        assertThat(Files.size(file)).isGreaterThan(1000);
    }

    /** Every panel shows the current outcome's map of its method, for the request the controls describe. */
    private void assertScreenShowsTheLastRequest() {
        onFx(() -> {
            ExplainOutcome out = ctx.explain().outcome();
            ImageItem selected = ctx.images().selectedProperty().get();
            assertThat(out.query().image()).isSameAs(selected.source());
            assertThat(out.query().model()).isSameAs(ctx.models().loaded());
            Integer asked = ctx.explain().requestedClassProperty().get();
            assertThat(out.target().index()).isEqualTo(asked != null ? asked : out.prediction().top(1).get(0).index());
            if (ctx.models().loaded().hasTaps()) {
                assertThat(ctx.explain().layer().hasName(out.query().layer())).as("layer %s shown", out.query().layer()).isTrue();
            }
            assertThat(out.query().settings()).isEqualTo(ctx.explain().settings());
            assertThat(PanelNodes.headlineText(window.panels())).contains(out.target().label());
            for (Method m : ctx.explain().methods()) {
                var r = out.result(m);
                if (r != null) {
                    assertThat(window.panels().panel(m).heatmap()).as("%s panel's map", m).isSameAs(r.map());
                }
            }
            return null;
        });
    }
}
