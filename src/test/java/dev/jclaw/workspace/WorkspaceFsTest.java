package dev.jclaw.workspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host workspace on real directories: what a confined one refuses, links planted inside and out, atomic writes. */
class WorkspaceFsTest {
    @TempDir
    Path dir;

    private Path root() throws IOException {
        return Files.createDirectories(dir.resolve("ws"));
    }

    private static String read(WorkspaceFs fs, String path) throws IOException {
        try (InputStream in = fs.openRead(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesReadsListsMovesAndDeletesInside() throws IOException {
        WorkspaceFs fs = WorkspaceFs.host(root(), true);

        fs.write("a/b/c.txt", "hello".getBytes(StandardCharsets.UTF_8));
        fs.move("a/b/c.txt", "d/e.txt");

        assertThat(read(fs, "d/e.txt")).isEqualTo("hello");
        assertThat(read(fs, fs.root().resolve("d/e.txt").toString())).as("an absolute path inside").isEqualTo("hello");
        assertThat(fs.list(".")).extracting(FileInfo::name).containsExactly("a", "d");
        assertThat(fs.stat("a/b/c.txt")).isEmpty();
        assertThatThrownBy(() -> fs.move("d/e.txt", "d/e.txt")).isInstanceOf(FileAlreadyExistsException.class);
        fs.delete("d/e.txt");
        assertThat(fs.stat("d/e.txt")).isEmpty();
        assertThatThrownBy(() -> fs.openRead("d/e.txt")).isInstanceOf(NoSuchFileException.class).hasMessage("d/e.txt");
    }

    @Test
    void pathsOutsideAreRefusedBeforeAnythingIsTouched() throws IOException {
        Path outside = Files.writeString(dir.resolve("secret.txt"), "secret");
        WorkspaceFs fs = WorkspaceFs.host(root(), true);

        for (String path : List.of("../secret.txt", "a/../../secret.txt", outside.toString(), "/etc/passwd")) {
            assertThatThrownBy(() -> fs.openRead(path)).as(path).isInstanceOf(PathRefusedException.class)
                    .hasMessageContaining("outside the workspace");
            assertThatThrownBy(() -> fs.write(path, new byte[1])).as(path).isInstanceOf(PathRefusedException.class);
        }
        assertThat(Files.readString(outside)).isEqualTo("secret");
    }

    @Test
    void linksThatLeadOutAreRefusedNotFollowedWhereverTheyAre() throws IOException {
        Path root = root();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("shadow"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createDirectories(root.resolve("deep/er"));
        Files.createSymbolicLink(root.resolve("deep/er/climb"), Path.of("../../.."));
        WorkspaceFs fs = WorkspaceFs.host(root, true);

        for (String path : List.of("shadow", "up/outside/secret.txt", "out/secret.txt", "deep/er/climb/outside/secret.txt")) {
            assertThatThrownBy(() -> fs.openRead(path)).as(path).isInstanceOf(PathRefusedException.class)
                    .hasMessageContaining("is a symbolic link to").hasMessageContaining("outside the workspace: not followed");
            assertThatThrownBy(() -> fs.write(path, "x".getBytes(StandardCharsets.UTF_8))).as(path).isInstanceOf(PathRefusedException.class);
        }
        assertThatThrownBy(() -> fs.write("out/new.txt", new byte[1])).isInstanceOf(PathRefusedException.class);
        assertThatThrownBy(() -> fs.list("out")).isInstanceOf(PathRefusedException.class);
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
        assertThat(fs.stat("shadow")).get().extracting(FileInfo::kind).as("the link itself is described").isEqualTo(FileInfo.Kind.SYMLINK);
        fs.delete("out");
        assertThat(Files.exists(outside.resolve("secret.txt"))).as("deleting a link removes the link, not its target").isTrue();
    }

    @Test
    void linksThatStayInsideWork() throws IOException {
        Path root = root();
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/app.txt"), "app");
        Files.createSymbolicLink(root.resolve("alias"), Path.of("src/main"));
        Files.createSymbolicLink(root.resolve("src/main/self"), root.resolve("src/main/app.txt"));
        WorkspaceFs fs = WorkspaceFs.host(root, true);

        assertThat(read(fs, "alias/app.txt")).isEqualTo("app");
        assertThat(read(fs, "src/main/self")).isEqualTo("app");
        fs.write("alias/app.txt", "changed".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(root.resolve("src/main/app.txt"))).isEqualTo("changed");
        assertThat(Files.isSymbolicLink(root.resolve("alias"))).isTrue();
    }

    @Test
    void aLinkLoopEndsWithAClearRefusal() throws IOException {
        Path root = root();
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        WorkspaceFs fs = WorkspaceFs.host(root, true);

        assertThatThrownBy(() -> fs.openRead("a/x")).isInstanceOf(PathRefusedException.class).hasMessageContaining("symbolic links on the way");
    }

    @Test
    void aWriteReplacesAtomicallyKeepsPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path root = root();
        Path script = Files.writeString(root.resolve("run.sh"), "echo old\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        WorkspaceFs fs = WorkspaceFs.host(root, true);

        fs.write("run.sh", "echo new\n".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(script)).isEqualTo("echo new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("run.sh");
        }
    }

    @Test
    void unconfinedReachesAbsolutePathsAndFollowsLinks() throws IOException {
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "there");
        Path root = root();
        Files.createSymbolicLink(root.resolve("link"), outside);
        WorkspaceFs fs = WorkspaceFs.host(root, false);

        assertThat(read(fs, outside.toString())).isEqualTo("there");
        assertThat(read(fs, "link")).isEqualTo("there");
        assertThat(read(fs, "../elsewhere.txt")).isEqualTo("there");
        assertThat(fs.display("../elsewhere.txt")).isEqualTo(outside.toString());
    }
}
