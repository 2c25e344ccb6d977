package io.cortexhub.web.api.admin;

import io.cortexhub.hub.pki.CaRotation;
import io.cortexhub.hub.pki.CaStatus;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/ca}: the hub CA's status and its two-phase rotation. The CA serves every
 * workspace, so rotating it needs an admin of every workspace ({@code "*"}); any admin may read
 * the status. Thread-safe.
 */
@Path("ca")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "pki", description = "The hub CA and its rotation (admin)")
public class CaResource {

  private CaRotation rotation;

  /** For CDI's client proxy only. */
  protected CaResource() {}

  @Inject
  public CaResource(CaRotation rotation) {
    this.rotation = Objects.requireNonNull(rotation, "rotation");
  }

  /**
   * The CA's state.
   *
   * @param activeFingerprint the CA that issues node certificates ({@code sha256:...})
   * @param trustedFingerprints every CA the hub accepts (two during a rotation, the new one first)
   * @param rotationStartedAt ISO-8601 instant, or null when no rotation runs
   */
  public record CaStatusJson(
      String activeFingerprint, List<String> trustedFingerprints, String rotationStartedAt) {
    static CaStatusJson of(CaStatus s) {
      return new CaStatusJson(s.activeFingerprint(), s.trustedFingerprints(),
          s.rotationStartedAt().orElse(null));
    }
  }

  @GET
  @Operation(summary = "CA status")
  public CaStatusJson status() {
    return CaStatusJson.of(rotation.status());
  }

  @POST
  @Path("rotation/start")
  @Operation(summary = "Start a CA rotation",
      description = "A new CA issues node certificates; both are trusted; connected nodes renew"
          + " at once.")
  @APIResponse(responseCode = "409", description = "A rotation runs already, or the CA is the"
      + " operator's", content = @Content(mediaType = Problem.MEDIA_TYPE))
  public CaStatusJson start(@Context SecurityContext security) {
    Caller caller = Caller.of(security).requireAllWorkspaces("rotate the hub CA");
    return CaStatusJson.of(rotation.startRotation(caller.name()));
  }

  @POST
  @Path("rotation/finish")
  @Operation(summary = "Finish the CA rotation",
      description = "The server certificate comes from the new CA and the old CA is dropped.")
  @APIResponse(responseCode = "409", description = "No rotation runs",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public CaStatusJson finish(@Context SecurityContext security) {
    Caller caller = Caller.of(security).requireAllWorkspaces("rotate the hub CA");
    return CaStatusJson.of(rotation.finishRotation(caller.name()));
  }
}
