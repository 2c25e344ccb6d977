package io.cortexhub.web.testing;

import io.cortexhub.hub.enrollment.IssuedJoinToken;
import io.cortexhub.hub.enrollment.JoinTokenRequest;
import io.cortexhub.hub.enrollment.JoinTokenView;
import io.cortexhub.hub.enrollment.JoinTokens;
import io.cortexhub.hub.enrollment.NodeRevocation;
import io.cortexhub.hub.enrollment.UnknownJoinTokenException;
import io.cortexhub.hub.pki.CaRotation;
import io.cortexhub.hub.pki.CaRotationException;
import io.cortexhub.hub.pki.CaStatus;
import io.cortexhub.hub.registry.NodeId;
import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import io.cortexhub.hub.workspace.WorkspaceScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory fakes of the admin services (join tokens, revocation, CA, workspaces). Not thread-safe. */
public final class AdminFakes {

  private AdminFakes() {}

  /** Join tokens in a list; secrets are {@code <id>.secret}. */
  public static final class Tokens implements JoinTokens {
    private final List<JoinTokenView> views = new ArrayList<>();
    private final List<String> revoked = new ArrayList<>();

    @Override
    public IssuedJoinToken create(JoinTokenRequest r) {
      String id = "jt-" + (views.size() + 1);
      Instant expires = Views.T0.plus(r.ttl());
      views.add(0, new JoinTokenView(id, r.workspace(), r.labels(), Views.T0, expires, r.uses(),
          false, r.createdBy()));
      return new IssuedJoinToken(id, id + ".secret", expires, r.workspace());
    }

    @Override
    public List<JoinTokenView> list(WorkspaceScope scope) {
      return views.stream().filter(v -> scope.includes(v.workspace())).toList();
    }

    @Override
    public void revoke(String tokenId) {
      if (views.stream().noneMatch(v -> v.tokenId().equals(tokenId))) {
        throw new UnknownJoinTokenException(tokenId);
      }
      revoked.add(tokenId);
    }

    public List<String> revoked() {
      return List.copyOf(revoked);
    }
  }

  /** Records revocations as "node by: reason". */
  public static final class Revocations implements NodeRevocation {
    private final List<String> done = new ArrayList<>();

    @Override
    public void revoke(NodeId node, String by, String reason) {
      done.add(node.value() + " " + by + ": " + reason);
    }

    public List<String> done() {
      return List.copyOf(done);
    }
  }

  /** A CA that rotates between two fingerprints. */
  public static final class Ca implements CaRotation {
    private CaStatus status = new CaStatus("sha256:old", List.of("sha256:old"), Optional.empty());

    @Override
    public CaStatus status() {
      return status;
    }

    @Override
    public CaStatus startRotation(String by) {
      if (status.rotating()) {
        throw new CaRotationException("a rotation is already running");
      }
      status = new CaStatus("sha256:new", List.of("sha256:new", "sha256:old"),
          Optional.of(Views.T0.toString()));
      return status;
    }

    @Override
    public CaStatus finishRotation(String by) {
      if (!status.rotating()) {
        throw new CaRotationException("no rotation is running");
      }
      status = new CaStatus("sha256:new", List.of("sha256:new"), Optional.empty());
      return status;
    }
  }

  /** Workspaces in a sorted map. */
  public static final class Workspaces implements WorkspaceDirectory {
    private final Map<WorkspaceId, Workspace> all = new TreeMap<>(
        java.util.Comparator.comparing(WorkspaceId::value));

    public Workspaces(String... names) {
      for (String n : names) {
        save(new Workspace(new WorkspaceId(n), java.util.Set.of("*")));
      }
    }

    @Override
    public List<Workspace> list() {
      return List.copyOf(all.values());
    }

    @Override
    public Optional<Workspace> find(WorkspaceId id) {
      return Optional.ofNullable(all.get(id));
    }

    @Override
    public Workspace save(Workspace w) {
      all.put(w.id(), w);
      return w;
    }
  }
}
