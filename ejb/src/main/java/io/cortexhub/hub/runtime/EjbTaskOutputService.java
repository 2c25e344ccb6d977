package io.cortexhub.hub.runtime;

import io.cortexhub.hub.dispatch.TaskId;
import io.cortexhub.hub.output.OutputListener;
import io.cortexhub.hub.output.OutputRecord;
import io.cortexhub.hub.output.OutputSubscription;
import io.cortexhub.hub.output.TaskOutputService;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;

/** {@link TaskOutputService} EJB over the hub core's output broadcaster. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EjbTaskOutputService implements TaskOutputService {
  @EJB
  private HubRuntime runtime;

  @Override
  public List<OutputRecord> read(TaskId task, long afterSeq, int limit) {
    return runtime.core().output().read(task, afterSeq, limit);
  }

  @Override
  public OutputSubscription subscribe(TaskId task, long afterSeq, OutputListener listener) {
    return runtime.core().output().subscribe(task, afterSeq, listener);
  }
}
