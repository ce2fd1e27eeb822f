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
}
