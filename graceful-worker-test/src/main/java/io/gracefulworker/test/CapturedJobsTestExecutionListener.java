package io.gracefulworker.test;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Forgets the captured jobs after each test method, so that a context cached between tests
 * starts each test with none; jobs enqueued while the context started stay for the first test.
 */
public class CapturedJobsTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		// After Spring's own listeners, as Boot's mock reset is.
		return 5000;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			ApplicationContext context = testContext.getApplicationContext();
			context.getBeanProvider(CapturedJobs.class).ifAvailable(CapturedJobs::clear);
		}
	}

}
