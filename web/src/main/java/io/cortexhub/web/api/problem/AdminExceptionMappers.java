package io.cortexhub.web.api.problem;

import io.cortexhub.hub.enrollment.InvalidJoinTokenRequestException;
import io.cortexhub.hub.enrollment.UnknownJoinTokenException;
import io.cortexhub.hub.pki.CaRotationException;
import io.cortexhub.hub.workspace.UnknownWorkspaceException;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** The mappers of the enrollment, PKI and workspace exceptions the admin resources meet. */
public final class AdminExceptionMappers {

  private AdminExceptionMappers() {}

  /** Every mapper declared here, for registration with the JAX-RS application. */
  public static List<Class<?>> all() {
    return List.of(
        InvalidJoinTokenRequestMapper.class,
        UnknownJoinTokenMapper.class,
        UnknownWorkspaceMapper.class,
        CaRotationMapper.class);
  }

  /** {@link InvalidJoinTokenRequestException} → 400 invalid-request. */
  @Provider
  public static final class InvalidJoinTokenRequestMapper
      extends ProblemMapper<InvalidJoinTokenRequestException> {
    @Override
    protected Problem problemFor(InvalidJoinTokenRequestException exception) {
      return ProblemType.INVALID_REQUEST.problem(exception.getMessage());
    }
  }

  /** {@link UnknownJoinTokenException} → 404 unknown-join-token. */
  @Provider
  public static final class UnknownJoinTokenMapper
      extends ProblemMapper<UnknownJoinTokenException> {
    @Override
    protected Problem problemFor(UnknownJoinTokenException exception) {
      return ProblemType.UNKNOWN_JOIN_TOKEN.problem(exception.getMessage());
    }
  }

  /** {@link UnknownWorkspaceException} → 404 unknown-workspace. */
  @Provider
  public static final class UnknownWorkspaceMapper
      extends ProblemMapper<UnknownWorkspaceException> {
    @Override
    protected Problem problemFor(UnknownWorkspaceException exception) {
      return ProblemType.UNKNOWN_WORKSPACE.problem(exception.getMessage());
    }
  }

  /** {@link CaRotationException} → 409 ca-rotation-conflict. */
  @Provider
  public static final class CaRotationMapper extends ProblemMapper<CaRotationException> {
    @Override
    protected Problem problemFor(CaRotationException exception) {
      return ProblemType.CA_ROTATION_CONFLICT.problem(exception.getMessage());
    }
  }
}
