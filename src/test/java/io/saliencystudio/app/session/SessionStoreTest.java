package io.saliencystudio.app.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** session.json round-trips field by field; unknown or damaged files are set aside, never half-read. */
class SessionStoreTest {

    @TempDir
    Path tmp;

    @Test
    void writesAtomicallyAndReadsBackEveryField() throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("conf/session.json"));
        SessionState s = new SessionState(1, "/models/shapes", "/img/b.png", List.of(
                new SessionState.Image("/img/a.png", null, null, null, null),
                new SessionState.Image("/img/b.png", "/models/shapes", 3, "layer3", "ünïcode note\nline 2")));
        store.write(s);
        store.write(s); // replacing works, and leaves no temporary file
        try (var files = Files.list(tmp.resolve("conf"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("session.json");
        }
        SessionStore.Read read = store.read();
        assertThat(read.problem()).isNull();
        assertThat(read.session()).contains(s);
        assertThat(Files.readString(store.file())).doesNotContain("\"note\" : null");
    }

    @Test
    void noFileIsNoSessionAndNoProblem() {
        SessionStore.Read read = new SessionStore(tmp.resolve("none.json")).read();
        assertThat(read.session()).isEmpty();
        assertThat(read.problem()).isNull();
    }

    @Test
    void aNewerFormatOrBrokenJsonIsSetAsideWithAMessage() throws Exception {
        Path file = tmp.resolve("session.json");
        for (String content : List.of("{\"format\": 9, \"images\": []}", "not json", "{\"images\": 5}")) {
            Files.writeString(file, content);
            SessionStore.Read read = new SessionStore(file).read();
            assertThat(read.session()).as(content).isEmpty();
            assertThat(read.problem()).as(content).isEqualTo("The last session could not be restored (its file is "
                    + "damaged; kept as session.json.bad). The app started with a fresh one.");
            assertThat(file).doesNotExist();
            assertThat(tmp.resolve("session.json.bad")).hasContent(content);
        }
    }
}
