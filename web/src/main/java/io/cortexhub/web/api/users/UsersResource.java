package io.cortexhub.web.api.users;

import io.cortexhub.hub.auth.NewUser;
import io.cortexhub.hub.auth.Role;
import io.cortexhub.hub.auth.UnknownUserException;
import io.cortexhub.hub.auth.UserDirectory;
import io.cortexhub.web.api.auth.Caller;
import io.cortexhub.web.api.auth.Roles;
import io.cortexhub.web.api.problem.InvalidRequestException;
import io.cortexhub.web.api.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/users}: create, list, read and delete local users. Admins only. Thread-safe. */
@Path("users")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "users", description = "Local users of this hub (admin)")
public class UsersResource {

  private UserDirectory users;

  /** For CDI's client proxy only. */
  protected UsersResource() {}

  @Inject
  public UsersResource(UserDirectory users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a user")
  @APIResponse(responseCode = "201", description = "Created; Location names the user")
  @APIResponse(responseCode = "400", description = "A field breaks a rule",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "409", description = "The name is taken",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response create(NewUserJson body, @Context SecurityContext security) {
    if (body == null || body.username() == null || body.password() == null) {
      throw new InvalidRequestException(
          "a JSON body {username, password, roles, workspaces} is required");
    }
    NewUser request = new NewUser(body.username(), body.password(), roles(body.roles()),
        body.workspaces() == null ? Set.of() : new HashSet<>(body.workspaces()));
    UserJson created = UserJson.of(users.create(request, Caller.of(security).name()));
    return Response.created(URI.create("users/" + created.username())).entity(created).build();
  }

  @GET
  @Operation(summary = "List users", description = "Every local user, by name.")
  public List<UserJson> list() {
    return users.list().stream().map(UserJson::of).toList();
  }

  @GET
  @Path("{username}")
  @Operation(summary = "Get one user")
  @APIResponse(responseCode = "404", description = "No such user",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public UserJson get(@PathParam("username") String username) {
    return users.find(username).map(UserJson::of)
        .orElseThrow(() -> new UnknownUserException("no user named '" + username + "'"));
  }

  @DELETE
  @Path("{username}")
  @Operation(summary = "Delete a user",
      description = "Tokens already issued to the user stay valid until they expire.")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", description = "No such user",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  @APIResponse(responseCode = "400", description = "The last admin cannot be deleted",
      content = @Content(mediaType = Problem.MEDIA_TYPE))
  public Response delete(@PathParam("username") String username,
      @Context SecurityContext security) {
    users.delete(username, Caller.of(security).name());
    return Response.noContent().build();
  }

  static Set<Role> roles(List<String> names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names == null ? List.<String>of() : names) {
      roles.add(Role.of(name).orElseThrow(() -> new InvalidRequestException(
          "roles: unknown role '" + name + "' (admin, operator, viewer)")));
    }
    return roles;
  }
}
