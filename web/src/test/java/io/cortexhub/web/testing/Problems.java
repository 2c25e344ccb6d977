package io.cortexhub.web.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;

/** Reads the problem body of a mapped response. */
public final class Problems {

  private Problems() {}

  public static JsonObject body(Response response) {
    try (var reader = Json.createReader(new StringReader((String) response.getEntity()))) {
      return reader.readObject();
    }
  }
}
