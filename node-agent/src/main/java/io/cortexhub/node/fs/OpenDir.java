package io.cortexhub.node.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An open directory inside a workspace root, through which every operation on its entries is
 * relative to the open directory ({@code openat}, {@code fstatat}, {@code unlinkat}, {@code renameat}
 * on Linux, by way of {@link SecureDirectoryStream}) and never follows a symbolic link.
 *
 * <p>Why: checking a path and then using it by name is a race a running task can win by swapping a
 * directory for a symbolic link in between. Walking from the root's descriptor one name at a time
 * with {@code O_NOFOLLOW} closes that race for every component: a link that appears after the check
 * makes the open fail instead of leading out. What this JDK API cannot do relative to a descriptor
 * (creating a directory, reading the link count) is done by path and checked afterwards against the
 * descriptor's view; see {@link #mkdir} and {@link #linkCount}. Not thread-safe: one task owns it.
 */
final class OpenDir implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OpenDir.class.getName());
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    OTHER
  }

  private final SecureDirectoryStream<Path> ds;
  private final Path absolute;

  private OpenDir(SecureDirectoryStream<Path> ds, Path absolute) {
    this.ds = ds;
    this.absolute = absolute;
  }

  /** Opens a root by its real path (the owner's configuration, so following links there is fine). */
  static OpenDir openRoot(Path rootReal) throws IOException {
    DirectoryStream<Path> stream = Files.newDirectoryStream(rootReal);
    if (!(stream instanceof SecureDirectoryStream<Path> sds)) {
      stream.close();
      throw new FsRefusedException(
          "this platform offers no race-free directory access (SecureDirectoryStream); fs operations are disabled");
    }
    return new OpenDir(sds, rootReal);
  }

  /**
   * Opens the directory {@code t.names()[0 .. depth)} below the root, refusing symbolic links and
   * non-directories on the way; missing directories are created when {@code create} is set.
   */
  static OpenDir walk(Target t, int depth, boolean create) throws IOException {
    OpenDir dir = openRoot(t.rootReal());
    try {
      for (int i = 0; i < depth; i++) {
        String name = t.names().get(i);
        if (create && dir.attributes(name).isEmpty()) {
          dir.mkdir(name);
        }
        OpenDir child = dir.child(name);
        dir.close();
        dir = child;
      }
      return dir;
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** Opens the directory holding the target's last name. */
  static OpenDir parentOf(Target t, boolean createParents) throws IOException {
    return walk(t, t.names().size() - 1, createParents);
  }

  Path absolute() {
    return absolute;
  }

  Path pathOf(String name) {
    return absolute.resolve(name);
  }

  /** The entry's own attributes ({@code fstatat} with {@code AT_SYMLINK_NOFOLLOW}); empty if absent. */
  Optional<PosixFileAttributes> attributes(String name) throws IOException {
    try {
      return Optional.of(
          ds.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW).readAttributes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** This directory's own attributes. */
  PosixFileAttributes selfAttributes() throws IOException {
    return ds.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
  }

  static Kind kind(PosixFileAttributes a) {
    if (a.isSymbolicLink()) {
      return Kind.SYMLINK;
    }
    if (a.isDirectory()) {
      return Kind.DIRECTORY;
    }
    return a.isRegularFile() ? Kind.FILE : Kind.OTHER;
  }

  /** Opens a subdirectory; refuses a symbolic link or anything else that is not a directory. */
  OpenDir child(String name) throws IOException {
    PosixFileAttributes a =
        attributes(name).orElseThrow(() -> new NoSuchFileException(pathOf(name).toString(), null, "no such directory"));
    requireKind(name, a, Kind.DIRECTORY);
    try {
      return new OpenDir(ds.newDirectoryStream(Path.of(name), NOFOLLOW), pathOf(name));
    } catch (NotDirectoryException e) {
      throw new FsRefusedException(pathOf(name) + " changed while being opened: no longer a directory");
    } catch (IOException e) {
      // The name may have become a link between fstatat and openat: O_NOFOLLOW caught it.
      throw refusalIfLink(name, e);
    }
  }

  /** Refuses {@code a} unless it is of the wanted kind, naming what it is instead. */
  void requireKind(String name, PosixFileAttributes a, Kind wanted) {
    Kind k = kind(a);
    if (k == wanted) {
      return;
    }
    Path p = pathOf(name);
    switch (k) {
      case SYMLINK -> throw new FsRefusedException(p + " is a symbolic link; links are never followed");
      case OTHER -> throw new FsRefusedException(
          p + " is a " + specialType(p) + ", not a regular file or directory; special files are refused");
      case DIRECTORY -> throw new FsRefusedException(p + " is a directory");
      case FILE -> throw new FsRefusedException(p + " is not a directory");
    }
  }

  /**
   * The number of hard links to the entry, read by path ({@code SecureDirectoryStream} does not
   * expose it) and trusted only when the inode matches {@code expected}, the descriptor-relative view.
   */
  int linkCount(String name, PosixFileAttributes expected) throws IOException {
    Map<String, Object> unix = Files.readAttributes(pathOf(name), "unix:nlink,fileKey", NOFOLLOW);
    if (!Objects.equals(unix.get("fileKey"), expected.fileKey())) {
      throw new FsRefusedException(pathOf(name) + " changed while being checked");
    }
    return ((Number) unix.get("nlink")).intValue();
  }

  /**
   * Refuses a regular file with more than one hard link: the other name may lie outside the
   * workspace (a link to a secret made by someone else), and nothing tells where it is.
   */
  void refuseHardLinks(String name, PosixFileAttributes a) throws IOException {
    int links = linkCount(name, a);
    if (links > 1) {
      throw hardLinked(name, links);
    }
  }

  private FsRefusedException hardLinked(String name, int links) {
    return new FsRefusedException(
        pathOf(name) + " has " + links + " hard links; a hard-linked file may lead out of the workspace");
  }

  /**
   * Opens a regular file without following a link, then checks that the name still refers to the
   * inode that was checked, so a swap between check and open is caught.
   */
  FileChannel open(String name, PosixFileAttributes checked, Set<? extends OpenOption> options) throws IOException {
    return openIfUnchanged(name, checked, options)
        .orElseThrow(() -> new FsRefusedException(pathOf(name) + " changed while being opened"));
  }

  /** Like {@link #open}, but an entry replaced meanwhile gives empty instead of a refusal. */
  Optional<FileChannel> openIfUnchanged(String name, PosixFileAttributes checked, Set<? extends OpenOption> options)
      throws IOException {
    Set<OpenOption> opts = new HashSet<>(options);
    opts.add(NOFOLLOW);
    FileChannel ch = openRaw(name, opts);
    try {
      Optional<PosixFileAttributes> now = attributes(name);
      if (now.isEmpty() || !Objects.equals(now.get().fileKey(), checked.fileKey())) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A regular file opened for reading, with the attributes it was checked with. */
  record Opened(FileChannel channel, PosixFileAttributes attributes) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Opens a regular file with a single link for reading. A file replaced while this runs (an atomic
   * write of another agent, which readers do not wait for) is checked again from the start, a few
   * times, rather than refused.
   */
  Opened openSingleLinkedForReading(String name) throws IOException {
    for (int attempt = 1; ; attempt++) {
      PosixFileAttributes a =
          attributes(name).orElseThrow(() -> new FsRefusedException(pathOf(name) + " does not exist"));
      requireKind(name, a, Kind.FILE);
      Map<String, Object> unix = Files.readAttributes(pathOf(name), "unix:nlink,fileKey", NOFOLLOW);
      if (Objects.equals(unix.get("fileKey"), a.fileKey())) {
        int links = ((Number) unix.get("nlink")).intValue();
        if (links > 1) {
          throw hardLinked(name, links);
        }
        Optional<FileChannel> ch = openIfUnchanged(name, a, Set.of(StandardOpenOption.READ));
        if (ch.isPresent()) {
          return new Opened(ch.get(), a);
        }
      }
      if (attempt == 5) {
        throw new FsRefusedException(pathOf(name) + " keeps changing while being opened");
      }
    }
  }

  /** Creates a new file ({@code O_CREAT|O_EXCL|O_NOFOLLOW}); fails if the name exists in any form. */
  FileChannel createNew(String name) throws IOException {
    return openRaw(
        name, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW));
  }

  private FileChannel openRaw(String name, Set<? extends OpenOption> opts) throws IOException {
    try {
      return (FileChannel) ds.newByteChannel(Path.of(name), opts);
    } catch (IOException e) {
      throw refusalIfLink(name, e);
    }
  }

  /**
   * Creates a subdirectory. By path, since the JDK has no {@code mkdirat}; a component swapped for a
   * link since the walk could send it elsewhere, so the result is checked through this descriptor
   * and a mismatch refused. The residue of that race is at most one empty directory elsewhere.
   */
  void mkdir(String name) throws IOException {
    try {
      Files.createDirectory(pathOf(name));
    } catch (FileAlreadyExistsException e) {
      // Someone else made it first; the check below decides whether that is acceptable.
    }
    PosixFileAttributes a =
        attributes(name).orElseThrow(() -> new FsRefusedException(absolute + " changed while creating " + name));
    requireKind(name, a, Kind.DIRECTORY);
  }

  void deleteFile(String name) throws IOException {
    ds.deleteFile(Path.of(name));
  }

  void deleteDirectory(String name) throws IOException {
    ds.deleteDirectory(Path.of(name));
  }

  /** {@code renameat}: atomic, replaces an existing target file. */
  void move(String name, OpenDir target, String targetName) throws IOException {
    ds.move(Path.of(name), target.ds, Path.of(targetName));
  }

  PosixFileAttributeView view(String name) {
    return ds.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW);
  }

  /** Iterates the entries' names (once per {@code OpenDir}). */
  Iterable<Path> entries() {
    return ds;
  }

  /**
   * Makes renames, creations and removals in this directory durable. Called after a change is made,
   * so a failure is logged rather than thrown: the change happened and must still be reported.
   */
  void syncAfterChange() {
    try (FileChannel self = (FileChannel) ds.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
      self.force(true);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot fsync directory " + absolute + "; a crash may lose the last change: " + e);
    }
  }

  @Override
  public void close() throws IOException {
    ds.close();
  }

  /**
   * An open with {@code O_NOFOLLOW} fails with {@code ELOOP} on a link; the JDK reports that with
   * varying exception types and texts, so look at the name again instead of parsing messages.
   */
  private IOException refusalIfLink(String name, IOException e) {
    try {
      Optional<PosixFileAttributes> now = attributes(name);
      if (now.isPresent() && now.get().isSymbolicLink()) {
        throw new FsRefusedException(pathOf(name) + " is a symbolic link; links are never followed");
      }
    } catch (IOException again) {
      e.addSuppressed(again);
    }
    return e;
  }

  private static String specialType(Path p) {
    try {
      int mode = ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue() & 0170000;
      return switch (mode) {
        case 0010000 -> "FIFO";
        case 0020000 -> "character device";
        case 0060000 -> "block device";
        case 0140000 -> "socket";
        default -> "special file";
      };
    } catch (IOException | RuntimeException e) {
      return "special file";
    }
  }
}
