package io.cortexhub.hub.runtime;

import io.cortexhub.hub.workspace.Workspace;
import io.cortexhub.hub.workspace.WorkspaceDirectory;
import io.cortexhub.hub.workspace.WorkspaceId;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.Optional;

/** {@link WorkspaceDirectory} EJB over the hub core's cached JDBC directory. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbWorkspaceDirectory implements WorkspaceDirectory {
  @EJB
  private HubRuntime runtime;

  @Override
  public List<Workspace> list() {
    return runtime.core().workspaces().list();
  }

  @Override
  public Optional<Workspace> find(WorkspaceId id) {
    return runtime.core().workspaces().find(id);
  }

  @Override
  public Workspace save(Workspace workspace) {
    return runtime.core().workspaces().save(workspace);
  }
}
