package io.gracefulworker.autoconfigure;

import io.gracefulworker.JobOperations;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.Worker;
import io.gracefulworker.actuate.JobsEndpoint;
import io.gracefulworker.actuate.QueueStatsCache;
import io.gracefulworker.actuate.RecurringEndpoint;
import io.gracefulworker.actuate.WorkerEndpoint;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.WorkerView;
import io.gracefulworker.dashboard.DashboardController;
import io.gracefulworker.dashboard.DashboardWriteGuard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the dashboard at {@code /graceful-worker/}, when
 * {@code graceful-worker.dashboard.enabled=true} in a servlet web application. It shows what the
 * {@code worker} and {@code jobs} endpoints show, whether or not they are exposed; it retries and
 * deletes dead jobs only with the {@code jobs} endpoint's write access
 * ({@code management.endpoint.jobs.access=unrestricted}).
 */
@AutoConfiguration(after = GracefulWorkerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, Endpoint.class, PropertiesEndpointAccessResolver.class })
@ConditionalOnBooleanProperty("graceful-worker.dashboard.enabled")
@ConditionalOnBean({ Worker.class, JobQueue.class, JobOperations.class })
public final class GracefulWorkerDashboardAutoConfiguration {

	@Bean
	DashboardController gracefulWorkerDashboardController(Worker worker, JobQueue queue, JobOperations operations,
			ObjectProvider<RecurringJobs> recurring, ObjectProvider<EndpointAccessResolver> accessResolver,
			Environment environment) {
		EndpointAccessResolver access = accessResolver
			.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment));
		boolean writable = access.accessFor(EndpointId.of("jobs"), Access.READ_ONLY) == Access.UNRESTRICTED;
		WorkerEndpoint view = new WorkerEndpoint(worker, new QueueStatsCache(queue, WorkerView.of(worker)::queues),
				queue::fleet, queue::truncatedDrains);
		RecurringJobs schedules = recurring.getIfAvailable();
		return new DashboardController(view, new JobsEndpoint(operations), new DashboardWriteGuard(writable),
				(schedules != null) ? new RecurringEndpoint(schedules, queue) : null);
	}

}
