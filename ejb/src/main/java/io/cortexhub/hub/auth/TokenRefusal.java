package io.cortexhub.hub.auth;

/**
 * Why a bearer token was refused. The names are stable (logged and shown in problem details); the
 * descriptions are for humans.
 */
public enum TokenRefusal {
  MISSING("no bearer token"),
  MALFORMED("not a compact JWT"),
  UNSIGNED("unsigned token (alg none)"),
  BAD_TYPE("header typ must be JWT"),
  ALGORITHM_NOT_ACCEPTED("signature algorithm not accepted (ES256 or RS256 only)"),
  BAD_SIGNATURE("signature does not verify with the trusted key"),
  MISSING_CLAIM("a required claim is missing"),
  WRONG_ISSUER("issuer is not trusted"),
  WRONG_AUDIENCE("audience does not include this API"),
  EXPIRED("token expired"),
  NOT_YET_VALID("token not valid yet"),
  ISSUED_IN_THE_FUTURE("token issued in the future"),
  BAD_CLAIM("a claim has the wrong shape");

  private final String description;

  TokenRefusal(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
