package io.cortexhub.web.console;

import io.cortexhub.hub.dispatch.TaskService;
import io.cortexhub.hub.dispatch.TaskView;
import io.cortexhub.hub.registry.NodeDirectory;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.registry.NodeView;
import io.cortexhub.hub.workspace.WorkspaceScope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Backing bean of the console home page: the nodes and the most recent tasks, already formatted for
 * display, so the page holds no logic.
 *
 * <p>Request-scoped: each page view reads the registry and the task list once, lazily, for the
 * workspaces of the signed-in user only.
 */
@Named("consoleHome")
@RequestScoped
public class ConsoleHome {

  /** How many tasks the home page lists. */
  static final int RECENT_TASKS = 25;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private NodeDirectory directory;
  private TaskService tasks;
  private ConsoleSession session;
  private List<NodeRow> nodes;
  private List<TaskRow> recentTasks;

  /** For CDI's client proxy only. */
  protected ConsoleHome() {}

  @Inject
  public ConsoleHome(NodeDirectory directory, TaskService tasks, ConsoleSession session) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.session = Objects.requireNonNull(session, "session");
  }

  /** The signed-in user's workspaces; none without a user (the guard never lets that happen). */
  private WorkspaceScope scope() {
    return session.user().map(u -> WorkspaceScope.of(u.workspaces()))
        .orElse(WorkspaceScope.of(Set.of()));
  }

  // The rows are records, but the page reads them through bean getters: Jakarta EL 5 (EE 10)
  // resolves getX() only; record accessors are understood from EL 6 (EE 11) on.

  /**
   * One line of the nodes table.
   *
   * @param sandbox what the node's owner and machine allow: its isolation level and consent mode
   * @param policyDigest SHA-256 of the owner's policy, empty when the agent reports none
   */
  public record NodeRow(
      String id, String name, String state, String labels, String capabilities, String sandbox,
      String policyDigest, int activeTasks, int maxTasks, String lastHeartbeat) {
    public String getId() {
      return id;
    }

    public String getName() {
      return name;
    }

    public String getState() {
      return state;
    }

    public String getLabels() {
      return labels;
    }

    public String getCapabilities() {
      return capabilities;
    }

    public String getSandbox() {
      return sandbox;
    }

    public String getPolicyDigest() {
      return policyDigest;
    }

    public int getActiveTasks() {
      return activeTasks;
    }

    public int getMaxTasks() {
      return maxTasks;
    }

    public String getLastHeartbeat() {
      return lastHeartbeat;
    }
  }

  /** One line of the tasks table. */
  public record TaskRow(
      String id, String kind, String state, String node, String exitCode, String created) {
    public String getId() {
      return id;
    }

    public String getKind() {
      return kind;
    }

    public String getState() {
      return state;
    }

    public String getNode() {
      return node;
    }

    public String getExitCode() {
      return exitCode;
    }

    public String getCreated() {
      return created;
    }
  }

  public List<NodeRow> getNodes() {
    if (nodes == null) {
      nodes = directory.list(scope()).stream().map(ConsoleHome::row).toList();
    }
    return nodes;
  }

  public List<TaskRow> getRecentTasks() {
    if (recentTasks == null) {
      recentTasks = tasks.recent(RECENT_TASKS, scope()).stream().map(ConsoleHome::row).toList();
    }
    return recentTasks;
  }

  static NodeRow row(NodeView node) {
    return new NodeRow(
        node.id().value(),
        node.name(),
        node.state().name(),
        labels(node.labels()),
        String.join(", ", node.capabilities()),
        sandbox(node.manifest()),
        node.manifest().policyDigest(),
        node.activeTasks(),
        node.maxTasks(),
        node.lastHeartbeatAt().map(ConsoleHome::time).orElse("never"));
  }

  static TaskRow row(TaskView task) {
    return new TaskRow(
        task.id().value(),
        task.kind().capability(),
        task.state().name(),
        task.node().map(NodeId::value).orElse("—"),
        task.exitCode().map(String::valueOf).orElse(""),
        time(task.createdAt()));
  }

  /** {@code bubblewrap, consent strict}; the consent part only from agents that report it. */
  static String sandbox(NodeView.Manifest m) {
    return m.isolation() + (m.consentMode().isEmpty() ? "" : ", consent " + m.consentMode());
  }

  /** Labels sorted by key, as {@code k=v, k2=v2}. */
  static String labels(Map<String, String> labels) {
    return new TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  static String time(Instant instant) {
    return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
