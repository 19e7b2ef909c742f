package io.gracefulworker.core;

import java.lang.reflect.Method;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link JobRegistry}.
 */
class JobRegistryTests {

	private final JobRegistry registry = new JobRegistry(new JobCodec(), "default", 5);

	@Test
	void aJobTakesTheClassAndMethodNameAndTheDefaultsUnlessItsAnnotationSaysOtherwise() {
		JobDefinition plain = register(Jobs.class, "plain");
		assertThat(plain.name()).isEqualTo("Jobs.plain");
		assertThat(plain.queue()).isEqualTo("default");
		assertThat(plain.maxAttempts()).isEqualTo(5);
		assertThat(plain.contextIndex()).isEqualTo(-1);
		JobDefinition named = register(Jobs.class, "named");
		assertThat(named.name()).isEqualTo("jobs.named");
		assertThat(named.queue()).isEqualTo("reports");
		assertThat(named.maxAttempts()).isEqualTo(2);
		assertThat(named.contextIndex()).isZero();
		assertThat(named.argumentTypes()).hasSize(1);
		assertThat(this.registry.find("jobs.named")).contains(named);
		assertThat(this.registry.find(named.method())).contains(named);
	}

	@Test
	void aJobThatReturnsAValueIsRefusedNamingTheMethod() {
		assertThatIllegalStateException().isThrownBy(() -> register(Invalid.class, "returns"))
			.withMessageContaining("@Job method " + Invalid.class.getName() + ".returns() is invalid")
			.withMessageContaining("must return void");
	}

	@Test
	void aJobThatCannotBeCalledThroughAProxyIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> register(Invalid.class, "finalJob"))
			.withMessageContaining("static, private or final");
	}

	@Test
	void aJobWithTwoContextsOrAnUnreadableParameterIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> register(Invalid.class, "twoContexts"))
			.withMessageContaining("more than one JobContext");
		assertThatIllegalStateException().isThrownBy(() -> register(Invalid.class, "anything"))
			.withMessageContaining("parameter 0 cannot be stored as JSON");
	}

	@Test
	void twoMethodsWithOneNameAreRefusedNamingBoth() {
		register(Jobs.class, "named");
		assertThatIllegalStateException().isThrownBy(() -> register(Clash.class, "same"))
			.withMessageContaining("the job name 'jobs.named' is already used by")
			.withMessageContaining("Jobs.named(JobContext, String)")
			.withMessageContaining("Clash.same()");
	}

	private JobDefinition register(Class<?> type, String name) {
		Method method = ReflectionUtils.findMethod(type, name, (Class<?>[]) null);
		return this.registry.register("bean", method, method.getAnnotation(Job.class));
	}

	static class Jobs {

		@Job
		public void plain(String text) {
		}

		@Job(name = "jobs.named", queue = "reports", maxAttempts = 2)
		public void named(JobContext context, String text) {
		}

	}

	static class Clash {

		@Job(name = "jobs.named")
		public void same() {
		}

	}

	static class Invalid {

		@Job
		public int returns() {
			return 1;
		}

		@Job
		public final void finalJob() {
		}

		@Job
		public void twoContexts(JobContext one, JobContext two) {
		}

		@Job
		public void anything(Object value) {
		}

	}

}
