package io.saliencystudio.app;

import io.saliencystudio.app.dialog.DialogService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A {@link DialogService} that answers from a script and records every question, for tests without windows. */
public final class ScriptedDialogs implements DialogService {

    /** Answers to the file and folder choosers, in order; an empty list (or none left) is a cancel. */
    public final Deque<List<Path>> files = new ArrayDeque<>();
    /** Answers to yes/no questions, in order; none left is "no". */
    public final Deque<Boolean> answers = new ArrayDeque<>();
    /** Every question asked: the chooser's title, or the confirmation's and information's header. */
    public final List<String> asked = new ArrayList<>();
    /** The text of every information window shown. */
    public final List<String> shown = new ArrayList<>();
    /** The questions the choosers were asked. */
    public final List<FileQuestion> questions = new ArrayList<>();

    private List<Path> next() {
        List<Path> p = files.poll();
        return p == null ? List.of() : p;
    }

    @Override
    public List<Path> openFiles(FileQuestion question) {
        asked.add(question.title());
        questions.add(question);
        return next();
    }

    @Override
    public Optional<Path> openFile(FileQuestion question) {
        return openFiles(question).stream().findFirst();
    }

    @Override
    public Optional<Path> chooseDirectory(String title, Path initialDirectory) {
        asked.add(title);
        questions.add(new FileQuestion(title, List.of(), initialDirectory));
        return next().stream().findFirst();
    }

    @Override
    public Optional<SaveAnswer> saveFile(FileQuestion question) {
        return openFile(question).map(p -> new SaveAnswer(p, question.filters().get(0)));
    }

    @Override
    public boolean confirm(String title, String header, String content, String yes, String no) {
        asked.add(header);
        Boolean a = answers.poll();
        return a != null && a;
    }

    @Override
    public void showInformation(String title, String header, String content, boolean monospaced) {
        asked.add(header);
        shown.add(content);
    }

    @Override
    public boolean showDocument(URI uri) {
        return false;
    }
}
