package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.util.List;

import io.gracefulworker.Job;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SelfInvocations}.
 */
class SelfInvocationsTests {

	@Test
	void findsEveryMethodOfTheClassThatCallsItsOwnJobMethodIncludingLambdas() {
		Method render = ReflectionUtils.findMethod(Reports.class, "render", String.class);
		assertThat(SelfInvocations.callers(Reports.class, render)).contains("Reports.handle", "Reports.later")
			.anySatisfy((caller) -> assertThat(caller).startsWith("Reports.lambda$"))
			.doesNotContain("Reports.unrelated");
	}

	@Test
	void findsNoCallerWhenTheClassGoesThroughAnotherBean() {
		Method render = ReflectionUtils.findMethod(Polite.class, "render", String.class);
		assertThat(SelfInvocations.callers(Polite.class, render)).isEmpty();
	}

	static class Reports {

		@Job
		public void render(String id) {
		}

		void handle(String id) {
			render(id);
		}

		void later(String id) {
			this.render(id + "!");
		}

		void all(List<String> ids) {
			ids.forEach((id) -> render(id));
		}

		void unrelated() {
			String.valueOf(1);
		}

	}

	static class Polite {

		private final Polite self;

		Polite(Polite self) {
			this.self = self;
		}

		@Job
		public void render(String id) {
		}

		void handle(String id) {
			this.self.toString();
		}

	}

}
