package io.cortexhub.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortexhub.hub.dispatch.TaskState;
import io.cortexhub.hub.registry.NodeState;
import io.cortexhub.web.testing.FakeNodeDirectory;
import io.cortexhub.web.testing.FakeTaskService;
import io.cortexhub.web.testing.MutableClock;
import io.cortexhub.web.testing.Views;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConsoleHomeTest {

  private static Optional<ConsoleUser> admin() {
    return Optional.of(new ConsoleUser("admin", Set.of("admin"), Set.of("*")));
  }

  @Test
  void nodeRows_areFormattedForDisplay() {
    var home = new ConsoleHome(
        new FakeNodeDirectory().add(Views.node("n-1", "alpha", NodeState.ONLINE)),
        new FakeTaskService(new MutableClock(Views.T0)), ConsoleHomeTest::admin);

    assertThat(home.getNodes()).containsExactly(new ConsoleHome.NodeRow(
        "n-1", "alpha", "ONLINE", "arch=amd64, zone=a", "echo, shell", "none", "", 1, 4,
        "2025-11-25T10:00:05Z"));
  }

  @Test
  void aNodeReportingItsPolicy_showsIsolationAndConsentMode_andThePolicyDigest() {
    var home = new ConsoleHome(
        new FakeNodeDirectory().add(Views.nodeWithPolicy("n-3", "gamma", "strict", "version: 1\n")),
        new FakeTaskService(new MutableClock(Views.T0)), ConsoleHomeTest::admin);

    ConsoleHome.NodeRow row = home.getNodes().get(0);

    assertThat(row.sandbox()).isEqualTo("bubblewrap, consent strict");
    assertThat(row.policyDigest()).hasSize(64);
  }

  @Test
  void taskRows_showExitCodeOnlyOnceFinished() {
    var tasks = new FakeTaskService(new MutableClock(Views.T0));
    tasks.put(Views.task("t-1", TaskState.RUNNING));
    tasks.put(Views.task("t-2", TaskState.SUCCEEDED));
    var home = new ConsoleHome(new FakeNodeDirectory(), tasks, ConsoleHomeTest::admin);

    assertThat(home.getRecentTasks()).extracting(ConsoleHome.TaskRow::exitCode)
        .containsExactlyInAnyOrder("", "0");
    assertThat(home.getRecentTasks().get(0).kind()).isEqualTo("shell");
    assertThat(home.getRecentTasks().get(0).created()).isEqualTo("2025-11-25T10:00:00Z");
  }

  @Test
  void rows_offerABeanGetterPerColumn_becauseEl5CannotReadRecordAccessors() throws Exception {
    for (Class<?> row : List.of(ConsoleHome.NodeRow.class, ConsoleHome.TaskRow.class)) {
      var properties = Arrays.stream(Introspector.getBeanInfo(row).getPropertyDescriptors())
          .filter(p -> p.getReadMethod() != null).map(PropertyDescriptor::getName)
          .collect(Collectors.toSet());
      var columns = Arrays.stream(row.getRecordComponents()).map(RecordComponent::getName)
          .toList();

      assertThat(properties).as(row.getSimpleName()).containsAll(columns);
    }
  }
}
