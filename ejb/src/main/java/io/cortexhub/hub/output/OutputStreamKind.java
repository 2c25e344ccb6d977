package io.cortexhub.hub.output;

/** Which stream of the task produced a chunk. */
public enum OutputStreamKind {
  STDOUT,
  STDERR,
  /** A chunk of a binary artefact (screenshots, later). */
  BINARY
}
