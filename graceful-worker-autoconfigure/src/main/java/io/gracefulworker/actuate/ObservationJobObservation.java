package io.gracefulworker.actuate;

import java.util.function.Supplier;

import io.gracefulworker.core.JobObservation;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Wraps each enqueue ({@code graceful.worker.enqueue}) and each job execution
 * ({@code graceful.worker.execution}) in a Micrometer {@link Observation}, so that tracing spans
 * them when a tracer is present.
 */
public class ObservationJobObservation implements JobObservation {

	private final ObservationRegistry registry;

	public ObservationJobObservation(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String enqueue(NewJob job, Supplier<String> enqueue) {
		return Observation.createNotStarted("graceful.worker.enqueue", this.registry)
			.contextualName("enqueue " + job.name())
			.lowCardinalityKeyValue("job", job.name())
			.lowCardinalityKeyValue("queue", job.queue())
			.observe(enqueue);
	}

	@Override
	public void execute(JobRecord record, Execution execution) throws Throwable {
		Observation observation = Observation.createNotStarted("graceful.worker.execution", this.registry)
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
