package io.gracefulworker.autoconfigure;

import java.time.Duration;

import io.gracefulworker.core.WorkerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WorkerSettingsFactory}.
 */
class WorkerSettingsFactoryTests {

	private final GracefulWorkerProperties properties = new GracefulWorkerProperties();

	@Test
	void defaultsComeFromThePropertiesAlone() {
		WorkerSettings settings = WorkerSettingsFactory.settings(this.properties, Duration.ofSeconds(30), false);
		assertThat(settings.queues()).containsOnlyKeys("default");
		assertThat(settings.concurrency()).isEqualTo(this.properties.getWorker().getConcurrency());
		assertThat(settings.heartbeatInterval()).isEqualTo(this.properties.getWorker().getLeaseDuration().dividedBy(3));
		assertThat(settings.requeueReserve()).isNull();
		assertThat(settings.id()).isNotBlank();
	}

	@Test
	void aConcurrencyBelowOneFailsNamingTheProperty() {
		this.properties.getWorker().setConcurrency(0);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> WorkerSettingsFactory.settings(this.properties, Duration.ofSeconds(30), false))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("graceful-worker.worker.concurrency"))
			.withMessageContaining("it must be at least 1");
	}

	@Test
	void negativeReplicasOrAZeroReplicaTimeoutFailNamingTheProperty() {
		this.properties.getEnqueue().setReplicas(-1);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> WorkerSettingsFactory.checkEnqueue(this.properties.getEnqueue()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("graceful-worker.enqueue.replicas"));
		this.properties.getEnqueue().setReplicas(1);
		this.properties.getEnqueue().setReplicaTimeout(Duration.ZERO);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> WorkerSettingsFactory.checkEnqueue(this.properties.getEnqueue()))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("graceful-worker.enqueue.replica-timeout"));
	}

	@Test
	void aJitterAboveOneFailsNamingTheProperty() {
		this.properties.getRetry().setJitter(1.5);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> WorkerSettingsFactory.retries(this.properties))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("graceful-worker.retry.jitter"));
	}

	@Test
	void aReserveAsLongAsThePhaseFailsNamingBothSettings() {
		this.properties.getWorker().getShutdown().setRequeueReserve(Duration.ofSeconds(5));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> WorkerSettingsFactory.settings(this.properties, Duration.ofSeconds(5), false))
			.withMessageContaining("graceful-worker.worker.shutdown.requeue-reserve")
			.withMessageContaining("spring.lifecycle.timeout-per-shutdown-phase = 5000 ms");
	}

}
