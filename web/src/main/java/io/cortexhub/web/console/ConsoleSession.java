package io.cortexhub.web.console;

import java.util.Optional;

/** The console user signed in on this request's HTTP session, if any. */
public interface ConsoleSession {

  Optional<ConsoleUser> user();
}
