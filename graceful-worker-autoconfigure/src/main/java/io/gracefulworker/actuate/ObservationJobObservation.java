package io.gracefulworker.actuate;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.gracefulworker.core.JobObservation;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * Wraps each enqueue ({@code graceful.worker.enqueue}) and each job execution
 * ({@code graceful.worker.execution}) in a Micrometer {@link Observation}, so that tracing spans
 * them when a tracer is present: the enqueue's W3C {@code traceparent} is stored in the job's
 * record (never in its arguments) and the execution continues it, so one trace runs from the
 * request that enqueued the job to its execution.
 */
public class ObservationJobObservation implements JobObservation {

	/** The W3C header of the trace context, kept in the job's record. */
	private static final String TRACEPARENT = "traceparent";

	private final ObservationRegistry registry;

	public ObservationJobObservation(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String enqueue(NewJob job, Function<@Nullable String, String> enqueue) {
		// A tracer's propagating handler writes the trace context into the carrier at the start.
		Map<String, String> carrier = new HashMap<>();
		SenderContext<Map<String, String>> context = new SenderContext<>((headers, key, value) -> {
			if (headers != null) {
				headers.put(key, value);
			}
		});
		context.setCarrier(carrier);
		return Observation.createNotStarted("graceful.worker.enqueue", () -> context, this.registry)
			.contextualName("enqueue " + job.name())
			.lowCardinalityKeyValue("job", job.name())
			.lowCardinalityKeyValue("queue", job.queue())
			.observe(() -> enqueue.apply(carrier.get(TRACEPARENT)));
	}

	@Override
	public void execute(JobRecord record, Execution execution) throws Throwable {
		ReceiverContext<JobRecord> context = new ReceiverContext<>(
				(carrier, key) -> TRACEPARENT.equals(key) ? carrier.traceparent() : null);
		context.setCarrier(record);
		Observation observation = Observation.createNotStarted("graceful.worker.execution", () -> context, this.registry)
			.contextualName("run " + record.name())
			.lowCardinalityKeyValue("job", record.name())
			.lowCardinalityKeyValue("queue", record.queue())
			.highCardinalityKeyValue("job.id", record.id())
			.highCardinalityKeyValue("attempt", String.valueOf(record.attempt()))
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			execution.proceed();
		}
		catch (Throwable ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
