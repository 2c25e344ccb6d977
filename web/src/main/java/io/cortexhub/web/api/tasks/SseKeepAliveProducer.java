package io.cortexhub.web.api.tasks;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the one {@link SseKeepAlive} of the application from MicroProfile Config and the container's
 * default managed scheduler (whose threads carry the application's context, unlike a thread pool of our
 * own, and which the container shuts down on undeploy).
 *
 * <p>A bad {@value SseKeepAlive#KEY} fails the first event stream with the key in the message.
 */
@ApplicationScoped
public class SseKeepAliveProducer {

  @Resource
  private ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = SseKeepAlive.KEY, defaultValue = SseKeepAlive.DEFAULT)
  private String interval;

  private volatile SseKeepAlive keepAlive;

  @Produces
  public SseKeepAlive keepAlive() {
    SseKeepAlive made = keepAlive;
    if (made == null) {
      made = new SseKeepAlive(SseKeepAlive.parse(interval), scheduler);
      keepAlive = made;
    }
    return made;
  }
}
