package io.gracefulworker.autoconfigure;

import java.util.List;

import io.gracefulworker.Job;

/**
 * A class of which the test application defines two beans, each with the same job method.
 */
public class Tenants {

	private final String tenant;

	public Tenants(String tenant) {
		this.tenant = tenant;
	}

	@Job(name = "test.tenant")
	public void bill(String label) {
		TestJobs.executions.add(new TestJobs.Execution("test.tenant", label, 0, List.of(this.tenant)));
	}

}
