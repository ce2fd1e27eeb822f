package io.saliencystudio.cli;

import picocli.CommandLine.IVersionProvider;

/** The app version from the jar manifest (set by Maven), or "dev" when run from classes. */
public final class Versions implements IVersionProvider {

    public static String app() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Saliency Studio " + app(), "Java " + System.getProperty("java.version")};
    }
}
