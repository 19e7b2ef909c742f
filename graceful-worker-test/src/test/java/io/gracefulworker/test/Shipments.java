package io.gracefulworker.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The shop's jobs: each records what ran, with which arguments and on which thread.
 */
@Component
public class Shipments {

	private final ObjectProvider<JobClient> jobs;

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	Shipments(ObjectProvider<JobClient> jobs) {
		this.jobs = jobs;
	}

	@Job(name = "shop.ship", queue = "shipping")
	public void ship(String orderId, int parcels) {
		record("ship " + orderId + " x" + parcels);
		this.jobs.getObject().enqueue(Shipments::notifyCustomer, orderId, null);
	}

	@Job(name = "shop.notify")
	public void notifyCustomer(String orderId, JobContext context) {
		record("notify " + orderId + " attempt " + context.attempt());
	}

	@Job(name = "shop.label")
	public void label(Parcel parcel) {
		record("label " + parcel.getWeight());
	}

	@Job(name = "shop.refund", maxAttempts = 2)
	public void refund(String orderId) {
		throw new IllegalStateException("The payment provider refused the refund");
	}

	@Job(name = "shop.later")
	public void later(JobContext context) {
		context.requeue();
	}

	public List<String> ran() {
		return this.ran;
	}

	public List<Thread> threads() {
		return this.threads;
	}

	public void forget() {
		this.ran.clear();
		this.threads.clear();
	}

	private void record(String what) {
		this.ran.add(what);
		this.threads.add(Thread.currentThread());
	}

	/**
	 * A value that JSON writes but cannot read back: its property is written as {@code weight}
	 * and its constructor takes {@code grams}.
	 */
	public static final class Parcel {

		private final int weight;

		public Parcel(int grams) {
			this.weight = grams;
		}

		public int getWeight() {
			return this.weight;
		}

	}

}
