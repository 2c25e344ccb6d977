package io.cortexhub.node.consent;

import io.cortexhub.node.audit.CanonicalJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The owner's channel to the {@link ConsentBroker}: a Unix domain socket only the node's owner can
 * reach, for {@code cortex-node approvals|approve|deny}.
 *
 * <p>Access: the socket file is 0600 inside a directory that must be private (0700, owned by the
 * agent's user; created so if missing, refused if it exists with wider permissions, never
 * chmod-ed). On top of the file modes, each connection's peer credentials ({@code SO_PEERCRED})
 * must name the agent's user or root, and become the decision's {@code decidedBy}. A stale socket
 * file left by a crash is replaced; a live one (another agent) or a non-socket file at the path is
 * refused.
 *
 * <p>Protocol, one UTF-8 line per request (at most {@value #MAX_LINE_BYTES} bytes, {@code \n}
 * terminated), one JSON line per answer, as many requests per connection as the client likes:
 *
 * <pre>
 * LIST            → {"ok":true,"pending":[{"argv":[...],"cwd":...,"deadlineUnixMs":...,"id":...,
 *                     "requestedAtUnixMs":...,"requestedBy":...,"summary":...,"taskId":...}]}
 * APPROVE &lt;id&gt;    → {"decidedBy":"socket:alice","id":...,"ok":true,"taskId":...,"verdict":"APPROVED"}
 * DENY &lt;id&gt;       → the same with "DENIED"
 * anything else   → {"error":"...","ok":false}   (the connection stays open)
 * </pre>
 *
 * A line that is too long gets an error and the connection is closed. The server never stops
 * because of what a client sends. Thread-safe; runs its accept loop and one task per connection
 * (at most {@value #MAX_CONNECTIONS}) on the given executor.
 */
public final class ConsentSocketServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsentSocketServer.class.getName());

  public static final int MAX_LINE_BYTES = 1024;
  public static final int MAX_CONNECTIONS = 8;

  /**
   * Linux's sun_path holds 108 bytes including the terminating NUL, and the JDK refuses a path of 107
   * bytes as well (measured on JDK 17): 106 is the longest that binds.
   */
  private static final int MAX_PATH_BYTES = 106;

  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Path socket;
  private final ConsentBroker broker;
  private final Executor executor;
  private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private ServerSocketChannel server; // guarded by this
  private UserPrincipal owner;
  private volatile boolean closed;

  /**
   * @param socket where to listen, e.g. {@link #defaultSocket()}
   * @param executor runs the accept loop and connections (needs 2+ threads; the agent's I/O pool)
   */
  public ConsentSocketServer(Path socket, ConsentBroker broker, Executor executor) {
    this.socket = Objects.requireNonNull(socket, "socket").toAbsolutePath();
    this.broker = Objects.requireNonNull(broker, "broker");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * {@code $CORTEX_NODE_CONSENT_SOCKET}, else {@code ~/.cortex-node/state/consent.sock}: where
   * {@code cortex-node run} listens with its default state directory.
   */
  public static Path defaultSocket() {
    String env = System.getenv("CORTEX_NODE_CONSENT_SOCKET");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cortex-node", "state", "consent.sock");
  }

  public Path socket() {
    return socket;
  }

  /**
   * Binds the socket and starts accepting.
   *
   * @throws ConsentSocketException naming the path and what is wrong with it
   */
  public synchronized void start() {
    if (server != null || closed) {
      throw new IllegalStateException("start() may be called once");
    }
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new ConsentSocketException("socket path " + socket + " is longer than " + MAX_PATH_BYTES
          + " bytes, the limit for Unix sockets: choose a shorter one");
    }
    try {
      prepareDirectory(socket.getParent());
      removeStaleSocket();
      ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        s.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      server = s;
    } catch (IOException e) {
      throw new ConsentSocketException("cannot listen on " + socket + ": " + e, e);
    }
    executor.execute(this::acceptLoop);
    LOG.info("consent requests are answered through " + socket);
  }

  private static void prepareDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConsentSocketException(dir + " is not a directory");
    }
    String me = System.getProperty("user.name");
    String dirOwner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (!dirOwner.equals(me) || perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
      throw new ConsentSocketException("the consent socket's directory " + dir + " must be private to " + me
          + " (owner " + me + ", mode 700); it is " + PosixFilePermissions.toString(perms) + " owned by " + dirOwner
          + ": choose a dedicated directory");
    }
  }

  private void removeStaleSocket() throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    BasicFileAttributes attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isOther()) {
      throw new ConsentSocketException(socket + " exists and is not a socket; not touching it");
    }
    SocketChannel probe;
    try {
      probe = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (ConnectException stale) {
      Files.delete(socket); // left behind by an agent that died
      LOG.info("removed stale consent socket " + socket);
      return;
    }
    probe.close();
    throw new ConsentSocketException("another process is already listening on " + socket);
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "consent socket " + socket + " stopped accepting", e);
        }
        return;
      }
      if (!permits.tryAcquire()) {
        LOG.warning("consent socket: refused a connection, " + MAX_CONNECTIONS + " are open");
        try (ch) {
          reply(Channels.newOutputStream(ch), error("too many connections; try again"));
        } catch (IOException e) {
          LOG.log(Level.FINE, "consent socket: busy reply failed", e);
        }
        continue;
      }
      connections.add(ch);
      try {
        executor.execute(() -> serve(ch));
      } catch (RejectedExecutionException e) {
        release(ch);
      }
    }
  }

  private void serve(SocketChannel ch) {
    try {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String who = "socket:" + peer.user().getName();
      OutputStream out = Channels.newOutputStream(ch);
      if (!allowed(peer.user(), owner)) {
        LOG.warning("consent socket: refused " + who + ": only " + owner.getName()
            + (owner.getName().equals("root") ? "" : " or root") + " may answer");
        reply(out, error("user " + peer.user().getName() + " may not answer consent requests on this node"));
        return;
      }
      LineReader in = new LineReader(Channels.newInputStream(ch), MAX_LINE_BYTES);
      while (true) {
        LineReader.Line line = in.next();
        if (line == null) {
          return;
        }
        if (line.tooLong()) {
          LOG.info("consent socket: refused a line longer than " + MAX_LINE_BYTES + " bytes from " + who);
          reply(out, error("line longer than " + MAX_LINE_BYTES + " bytes; closing the connection"));
          return;
        }
        reply(out, handle(line, who));
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "consent socket connection ended", e);
    } finally {
      release(ch);
    }
  }

  private Map<String, Object> handle(LineReader.Line line, String who) {
    if (line.text() == null) {
      LOG.info("consent socket: refused a line that is not UTF-8 from " + who);
      return error("the line is not valid UTF-8");
    }
    String text = line.text().endsWith("\r") ? line.text().substring(0, line.text().length() - 1) : line.text();
    if (text.equals("LIST")) {
      return Map.of("ok", true, "pending", broker.pending().stream().map(PendingConsent::toJsonMap).toList());
    }
    String[] parts = text.split(" ", -1);
    boolean approve = parts[0].equals("APPROVE");
    if (!approve && !parts[0].equals("DENY")) {
      LOG.info("consent socket: refused unknown command from " + who);
      String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
      return error("unknown command \"" + shown + "\": expected LIST, APPROVE <id> or DENY <id>");
    }
    if (parts.length != 2 || !parts[1].matches("[a-z0-9]{1,32}")) {
      LOG.info("consent socket: refused malformed " + parts[0] + " from " + who);
      return error(parts[0] + " takes exactly one request id (lower-case letters and digits), as listed by LIST");
    }
    String id = parts[1];
    var decision = approve ? broker.approve(id, who) : broker.deny(id, who);
    if (decision.isEmpty()) {
      return error("no pending request with id " + id + " (already answered, timed out, or never existed)");
    }
    ConsentDecision d = decision.get();
    LOG.info("consent " + id + " for task " + d.taskId() + ": " + d.verdict() + " by " + who);
    return Map.of("ok", true, "id", id, "taskId", d.taskId(), "verdict", d.verdict().name(), "decidedBy", who);
  }

  /** Whether a peer may answer: the agent's own user, or root. */
  static boolean allowed(UserPrincipal peer, UserPrincipal owner) {
    return peer.getName().equals(owner.getName()) || peer.getName().equals("root");
  }

  private static Map<String, Object> error(String message) {
    return Map.of("ok", false, "error", message);
  }

  private static void reply(OutputStream out, Map<String, Object> body) throws IOException {
    out.write((CanonicalJson.write(body) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void release(SocketChannel ch) {
    connections.remove(ch);
    permits.release();
    try {
      ch.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing consent connection", e);
    }
  }

  /** Stops accepting, drops open connections and removes the socket file. */
  @Override
  public void close() {
    ServerSocketChannel s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = server;
    }
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing consent socket", e);
    }
    for (SocketChannel ch : connections) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing consent connection", e);
      }
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot remove consent socket " + socket, e);
    }
  }
}
