package dev.jclaw.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link WorkspaceFs} on the host. Confined, every component is opened with {@code openat(...,
 * O_NOFOLLOW)} relative to the directory before it ({@link DirFd}); a link met on the way is replaced
 * by its target, lexically, and the walk starts again from the root, so a link inside the workspace
 * works and one leading out is refused. Files are opened with {@code O_NOFOLLOW} in the directory the
 * walk holds open: a link swapped in after the check fails the open instead of being followed.
 */
final class HostWorkspace implements WorkspaceFs {
    /** Links followed in one resolution at most (Linux's own limit). */
    private static final int MAX_LINK_HOPS = 40;
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final boolean confined;

    HostWorkspace(Path root, boolean confined) {
        this.root = root.toAbsolutePath().normalize();
        this.confined = confined;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public boolean confined() {
        return confined;
    }

    @Override
    public String display(String path) throws PathRefusedException {
        Path absolute = absolute(path);
        List<String> inside = inside(absolute);
        return inside != null ? shown(inside) : absolute.toString();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        try (Located at = locate(path, false, false)) {
            return Optional.ofNullable(info(at.entry(), at.nameOr(root.getFileName())));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openRead(String path) throws IOException {
        try (Located at = locate(path, true, false)) {
            BasicFileAttributes attrs = lstat(at.entry());
            if (attrs == null) throw new NoSuchFileException(at.shown());
            if (attrs.isDirectory()) throw new FileSystemException(at.shown(), null, "is a directory");
            if (!attrs.isRegularFile()) throw new PathRefusedException(at.shown() + " is not a regular file");
            try {
                // the file system's own stream (not a FileChannel's): reads of a large file cost what a plain Files.newInputStream costs
                return confined ? Files.newInputStream(at.entry(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                        : Files.newInputStream(at.entry(), StandardOpenOption.READ);
            } catch (IOException e) {
                throw rethrow(e, at.shown());
            }
        }
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        try (Located at = locate(path, true, true)) {
            if (at.name() == null) throw new FileSystemException(at.shown(), null, "is a directory");
            BasicFileAttributes existing = lstat(at.entry());
            if (existing != null && existing.isDirectory()) throw new FileSystemException(at.shown(), null, "is a directory");
            if (existing != null && !existing.isRegularFile()) throw new PathRefusedException(at.shown() + " is not a regular file");
            String tempName = tempName(at.name());
            Path temp = at.sibling(tempName);
            boolean done = false;
            try {
                try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS))) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) out.write(buffer);
                    out.force(true);
                }
                if (existing != null) copyPermissions(at.entry(), temp);
                Files.move(temp, at.entry(), StandardCopyOption.ATOMIC_MOVE);
                done = true;
                syncDirectory(at.directory());
            } catch (IOException e) {
                throw rethrow(e, at.shown());
            } finally {
                if (!done) Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public List<FileInfo> list(String directory) throws IOException {
        try (Located at = locate(directory, true, false)) {
            if (at.name() != null) {
                BasicFileAttributes attrs = lstat(at.entry());
                if (attrs == null) throw new NoSuchFileException(at.shown());
                if (!attrs.isDirectory()) throw new NotDirectoryException(at.shown());
            }
            try (Located dir = at.name() == null ? null : at.descend();
                 DirectoryStream<Path> entries = Files.newDirectoryStream(dir == null ? at.directory() : dir.directory())) {
                List<FileInfo> out = new ArrayList<>();
                for (Path entry : entries) {
                    FileInfo info = info(entry, entry.getFileName());
                    if (info != null) out.add(info);
                }
                out.sort(Comparator.comparing(FileInfo::name));
                return out;
            } catch (NoSuchFileException | NotDirectoryException | PathRefusedException e) {
                throw e;
            } catch (IOException e) {
                throw rethrow(e, at.shown());
            }
        }
    }

    @Override
    public void delete(String path) throws IOException {
        try (Located at = locate(path, false, false)) {
            BasicFileAttributes attrs = at.name() == null ? null : lstat(at.entry());
            if (attrs == null) throw new NoSuchFileException(at.shown());
            if (attrs.isDirectory()) throw new FileSystemException(at.shown(), null, "is a directory; only files are deleted");
            try {
                Files.delete(at.entry());
                syncDirectory(at.directory());
            } catch (IOException e) {
                throw rethrow(e, at.shown());
            }
        }
    }

    @Override
    public void move(String from, String to) throws IOException {
        try (Located source = locate(from, false, false)) {
            if (source.name() == null || lstat(source.entry()) == null) throw new NoSuchFileException(source.shown());
            try (Located target = locate(to, false, true)) {
                if (target.name() == null || lstat(target.entry()) != null) throw new FileAlreadyExistsException(target.shown());
                try {
                    Files.move(source.entry(), target.entry(), StandardCopyOption.ATOMIC_MOVE);
                    syncDirectory(target.directory());
                    syncDirectory(source.directory());
                } catch (IOException e) {
                    throw rethrow(e, source.shown() + " -> " + target.shown());
                }
            }
        }
    }

    // --- resolution ---

    /**
     * Where {@code path} leads: the directory holding its last component, held open, and that
     * component's name (null for the root itself).
     *
     * @param followFinal    whether a link in the last place is followed (within the rules) or taken as itself
     * @param createParents  whether missing directories on the way are created
     */
    private Located locate(String path, boolean followFinal, boolean createParents) throws IOException {
        Path absolute = absolute(path);
        if (!confined) return locateOpen(absolute, followFinal, createParents);
        ensureRoot();
        Path realRoot = root.toRealPath();
        List<String> components = inside(absolute);
        if (components == null && absolute.startsWith(realRoot)) components = components(realRoot.relativize(absolute));
        if (components == null) throw outside(path);
        for (int hops = 0; ; hops++) {
            if (hops > MAX_LINK_HOPS) throw new PathRefusedException(path + ": more than " + MAX_LINK_HOPS + " symbolic links on the way");
            List<String> next = null;
            DirFd dir = DirFd.open(realRoot);
            List<String> walked = new ArrayList<>();
            try {
                for (int i = 0; i < components.size(); i++) {
                    String name = components.get(i);
                    boolean last = i == components.size() - 1;
                    List<String> here = append(walked, name);
                    Path entry = dir.child(name);
                    BasicFileAttributes attrs = lstat(entry);
                    if (attrs != null && attrs.isSymbolicLink() && (!last || followFinal)) {
                        next = throughLink(here, Files.readSymbolicLink(entry).toString(), components.subList(i + 1, components.size()), realRoot);
                        break;
                    }
                    if (last) {
                        Located found = new Located(dir, null, name, shown(here));
                        dir = null;
                        return found;
                    }
                    if (attrs == null) {
                        if (!createParents) throw new NoSuchFileException(shown(here));
                        try {
                            Files.createDirectory(entry);
                        } catch (FileAlreadyExistsException raced) {
                            // someone made it meanwhile: the no-follow open below decides what it is
                        }
                    } else if (!attrs.isDirectory()) {
                        throw new NotDirectoryException(shown(here));
                    }
                    DirFd child = dir.openChild(name, shown(here));
                    dir.close();
                    dir = child;
                    walked = here;
                }
                if (next == null) {
                    Located found = new Located(dir, null, null, shown(walked));
                    dir = null;
                    return found;
                }
            } finally {
                if (dir != null) dir.close();
            }
            components = next;
        }
    }

    /** The components after replacing the link at {@code link} by {@code target}, or a refusal when that leaves the root. */
    private List<String> throughLink(List<String> link, String target, List<String> rest, Path realRoot) throws PathRefusedException {
        Path parent = root.resolve(String.join("/", link.subList(0, link.size() - 1)));
        Path resolved = parent.resolve(target).normalize();
        List<String> inside = inside(resolved);
        if (inside == null && resolved.startsWith(realRoot)) inside = components(realRoot.relativize(resolved));
        if (inside == null) {
            throw new PathRefusedException(shown(link) + " is a symbolic link to " + target
                    + ", outside the workspace: not followed (tools.fs.workspaceOnly confines file tools to " + root + ")");
        }
        List<String> out = new ArrayList<>(inside);
        out.addAll(rest);
        return out;
    }

    private Located locateOpen(Path absolute, boolean followFinal, boolean createParents) throws IOException {
        Path target = absolute;
        if (followFinal && Files.isSymbolicLink(target) && Files.exists(target)) target = target.toRealPath();
        Path parent = target.getParent();
        if (parent == null) return new Located(null, target, null, target.toString());
        if (createParents) Files.createDirectories(parent);
        return new Located(null, parent, target.getFileName().toString(), absolute.toString());
    }

    private Path absolute(String path) throws PathRefusedException {
        if (path == null || path.isEmpty()) throw new PathRefusedException("the path is empty");
        if (path.indexOf('\0') >= 0) throw new PathRefusedException("the path contains a NUL character");
        String text = path;
        if (text.equals("~") || text.startsWith("~/")) text = System.getProperty("user.home") + text.substring(1);
        try {
            return root.resolve(text).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new PathRefusedException("not a valid path: " + e.getReason());
        }
    }

    /** The components of {@code absolute} below the root, or null when it is not below it. */
    private List<String> inside(Path absolute) {
        return absolute.startsWith(root) ? components(root.relativize(absolute)) : null;
    }

    private static List<String> components(Path relative) {
        List<String> out = new ArrayList<>();
        for (Path part : relative) {
            String name = part.toString();
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }

    private PathRefusedException outside(String path) {
        return new PathRefusedException(path + " is outside the workspace " + root
                + " (tools.fs.workspaceOnly confines file tools to it; use a path inside it)");
    }

    private void ensureRoot() throws IOException {
        if (!Files.isDirectory(root)) Files.createDirectories(root);
    }

    // --- helpers ---

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static String shown(List<String> components) {
        return components.isEmpty() ? "." : String.join("/", components);
    }

    private static BasicFileAttributes lstat(Path entry) throws IOException {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static FileInfo info(Path entry, Path name) throws IOException {
        BasicFileAttributes attrs = lstat(entry);
        if (attrs == null) return null;
        FileInfo.Kind kind = attrs.isSymbolicLink() ? FileInfo.Kind.SYMLINK : attrs.isDirectory() ? FileInfo.Kind.DIRECTORY
                : attrs.isRegularFile() ? FileInfo.Kind.FILE : FileInfo.Kind.OTHER;
        String target = kind == FileInfo.Kind.SYMLINK ? Files.readSymbolicLink(entry).toString() : null;
        return new FileInfo(name == null ? "/" : name.toString(), kind, kind == FileInfo.Kind.FILE ? attrs.size() : 0,
                attrs.lastModifiedTime().toInstant(), target);
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(from, NO_FOLLOW);
            Files.setPosixFilePermissions(to, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            // the new file keeps the default permissions
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // the rename is done; a directory that cannot be synced only weakens durability after a power loss
        }
    }

    private static String tempName(String name) {
        String base = name.length() > 200 ? name.substring(0, 200) : name;
        return "." + base + ".jclaw-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /** The same failure, naming the path as the model wrote it instead of a /proc/self/fd path. */
    private static IOException rethrow(IOException e, String shown) {
        if (e instanceof PathRefusedException) return e;
        if (e instanceof NoSuchFileException) return new NoSuchFileException(shown);
        if (e instanceof FileAlreadyExistsException) return new FileAlreadyExistsException(shown);
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
        if (reason.contains("symbolic links") || reason.contains("NOFOLLOW")) {
            return new PathRefusedException(shown + " is a symbolic link: not followed");
        }
        return new FileSystemException(shown, null, reason);
    }

    /** An open directory (confined) or a directory path (not confined), and the entry named in it. */
    private record Located(DirFd fd, Path path, String name, String shown) implements AutoCloseable {
        Path directory() {
            return fd != null ? fd.self() : path;
        }

        Path entry() {
            if (name == null) return directory();
            return fd != null ? fd.child(name) : path.resolve(name);
        }

        Path sibling(String other) {
            return fd != null ? fd.child(other) : path.resolve(other);
        }

        Path nameOr(Path fallback) {
            return name != null ? Path.of(name) : fallback;
        }

        /** The entry itself as an open directory (no link followed). */
        Located descend() throws IOException {
            if (fd == null) return new Located(null, path.resolve(name), null, shown);
            return new Located(fd.openChild(name, shown), null, null, shown);
        }

        @Override
        public void close() {
            if (fd != null) fd.close();
        }
    }
}
