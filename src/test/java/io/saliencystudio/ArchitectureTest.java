package io.saliencystudio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Engine first, UI thin: the engine is usable from the CLI and tests without JavaFX. */
@AnalyzeClasses(packages = "io.saliencystudio",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule engineImportsNoJavaFx = noClasses().that().resideInAPackage("io.saliencystudio.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.javafx..", "org.controlsfx..",
                    "org.kordamp.ikonli..", "atlantafx..")
            .because("engine code (models, methods, heatmaps, colormaps, figures) must run headless");

    @ArchTest
    static final ArchRule engineDoesNotKnowTheCli = noClasses().that().resideInAPackage("io.saliencystudio.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.saliencystudio.cli..", "io.saliencystudio.app..", "picocli..");

    @ArchTest
    static final ArchRule djlStaysInTheRuntime = noClasses().that().resideInAPackage("io.saliencystudio..")
            .and().resideOutsideOfPackage("io.saliencystudio.engine.runtime..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .because("native arrays never leave a request: only the runtime package talks to DJL");

    @ArchTest
    static final ArchRule appDoesNotKnowTheCli = noClasses().that().resideInAPackage("io.saliencystudio.app..")
            .should().dependOnClassesThat().resideInAPackage("io.saliencystudio.cli..")
            .because("the app and the CLI are two front ends over the engine; Launcher alone chooses between them");

    @ArchTest
    static final ArchRule cliDoesNotKnowTheApp = noClasses().that().resideInAPackage("io.saliencystudio.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.saliencystudio.app..")
            .because("the CLI must run where JavaFX cannot start; Launcher opens the window by class name");

    @ArchTest
    static final ArchRule viewModelsHaveNoScene = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .or().haveSimpleNameEndingWith("Presenter")
            .should().dependOnClassesThat().resideInAPackage("javafx.scene..")
            .because("view-models and presenters hold state, words and numbers, and are tested without a scene "
                    + "(javafx.beans and javafx.collections are fine)");
}
