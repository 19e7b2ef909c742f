package io.gracefulworker.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobError}.
 */
class JobErrorTests {

	@Test
	void aStoredErrorKeepsTheMessagesOfItsCauses() {
		Exception ex = new IllegalStateException("Error in execution",
				new RuntimeException("OOM command not allowed when used memory > 'maxmemory'."));
		JobError error = JobError.of("failed", ex);
		assertThat(error.type()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.message()).isEqualTo("Error in execution; caused by java.lang.RuntimeException: OOM command"
				+ " not allowed when used memory > 'maxmemory'.");
		assertThat(error.stack()).contains("JobErrorTests");
	}

	@Test
	void aStoredErrorIsBoundedInSize() {
		JobError error = JobError.of("failed", new IllegalStateException("x".repeat(10_000)));
		assertThat(error.message()).hasSize(JobError.MAX_MESSAGE).endsWith("...");
	}

}
