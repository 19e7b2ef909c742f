package io.gracefulworker.sample;

import java.util.List;

import io.gracefulworker.Job;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One demo job in two releases, chosen by {@code sample.demo.version}: release 2 added a
 * parameter. During a rollout both run on one Redis, and a worker gives back a job of the other
 * release for a worker that can read it.
 */
@Configuration(proxyBeanMethods = false)
class VersionedJobs {

	@Bean
	@ConditionalOnProperty(name = "sample.demo.version", havingValue = "1", matchIfMissing = true)
	ReleaseOne versionedJobReleaseOne(Ledger ledger) {
		return new ReleaseOne(ledger);
	}

	@Bean
	@ConditionalOnProperty(name = "sample.demo.version", havingValue = "2")
	ReleaseTwo versionedJobReleaseTwo(Ledger ledger) {
		return new ReleaseTwo(ledger);
	}

	/**
	 * The job as this release defines it, and the arguments this release enqueues it with.
	 */
	interface Release {

		List<Object> arguments(String batch, int index);

	}

	/**
	 * Release 1: a batch and an index.
	 */
	static class ReleaseOne implements Release {

		private final Ledger ledger;

		ReleaseOne(Ledger ledger) {
			this.ledger = ledger;
		}

		@Job(name = "demo.versioned", queue = "demo")
		public void run(String batch, int index) {
			this.ledger.executed(batch + ":" + index);
		}

		@Override
		public List<Object> arguments(String batch, int index) {
			return List.of(batch, index);
		}

	}

	/**
	 * Release 2: a note added.
	 */
	static class ReleaseTwo implements Release {

		private final Ledger ledger;

		ReleaseTwo(Ledger ledger) {
			this.ledger = ledger;
		}

		@Job(name = "demo.versioned", queue = "demo")
		public void run(String batch, int index, String note) {
			this.ledger.executed(batch + ":" + index);
		}

		@Override
		public List<Object> arguments(String batch, int index) {
			return List.of(batch, index, "added in release 2");
		}

	}

}
