package io.cortexhub.hub.workspace;

import jakarta.ejb.ApplicationException;

/** A request named a workspace that does not exist. */
@ApplicationException(rollback = true)
public class UnknownWorkspaceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownWorkspaceException(WorkspaceId id) {
    super("unknown workspace: " + id);
  }
}
