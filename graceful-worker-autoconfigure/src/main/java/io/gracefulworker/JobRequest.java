package io.gracefulworker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.gracefulworker.core.JobMethodReferences;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * An immutable request to enqueue a job with options: queue, maximum attempts, an idempotency
 * key and when it should run.
 *
 * <pre class="code">
 * jobClient.enqueue(JobRequest.of("reports.render", request).idempotencyKey(request.id()).delay(Duration.ofMinutes(5)));
 * </pre>
 */
public final class JobRequest {

	private final String name;

	private final List<Object> arguments;

	private final @Nullable String queue;

	private final int maxAttempts;

	private final @Nullable String idempotencyKey;

	private final @Nullable Instant runAt;

	private final @Nullable Duration delay;

	private final @Nullable String bean;

	private final @Nullable Boolean afterCommit;

	private JobRequest(String name, List<Object> arguments, @Nullable String queue, int maxAttempts,
			@Nullable String idempotencyKey, @Nullable Instant runAt, @Nullable Duration delay,
			@Nullable String bean, @Nullable Boolean afterCommit) {
		this.name = name;
		this.arguments = arguments;
		this.queue = queue;
		this.maxAttempts = maxAttempts;
		this.idempotencyKey = idempotencyKey;
		this.runAt = runAt;
		this.delay = delay;
		this.bean = bean;
		this.afterCommit = afterCommit;
	}

	/**
	 * Creates a request for the named job with its arguments (without the {@link JobContext}).
	 * @param name the job name
	 * @param arguments the arguments
	 * @return the request
	 */
	public static JobRequest of(String name, Object... arguments) {
		Assert.hasText(name, "'name' must not be empty");
		return new JobRequest(name, Arrays.asList(arguments.clone()), null, 0, null, null, null, null, null);
	}

	/**
	 * Creates a request for a {@link Job @Job} method without arguments.
	 * @param <T> the bean's type
	 * @param method the method, such as {@code Reports::nightly}
	 * @return the request
	 * @throws IllegalArgumentException if {@code method} is not a reference to a {@code @Job}
	 * method
	 */
	public static <T> JobRequest of(JobMethod.Zero<T> method) {
		return of(method, new Object[0]);
	}

	/**
	 * Creates a request for a {@link Job @Job} method of one argument, checked by the
	 * compiler.
	 * @param <T> the bean's type
	 * @param <A> the argument's type
	 * @param method the method, such as {@code Reports::render}
	 * @param a the argument ({@code null} for a {@link JobContext})
	 * @return the request
	 * @throws IllegalArgumentException if {@code method} is not a reference to a {@code @Job}
	 * method
	 */
	public static <T, A> JobRequest of(JobMethod.One<T, A> method, @Nullable A a) {
		return of(method, new @Nullable Object[] { a });
	}

	/**
	 * Creates a request for a {@link Job @Job} method of two arguments, checked by the
	 * compiler.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 * @param method the method
	 * @param a the first argument
	 * @param b the second argument
	 * @return the request
	 */
	public static <T, A, B> JobRequest of(JobMethod.Two<T, A, B> method, @Nullable A a, @Nullable B b) {
		return of(method, new @Nullable Object[] { a, b });
	}

	/**
	 * Creates a request for a {@link Job @Job} method of three arguments, checked by the
	 * compiler.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 * @param <C> the third argument's type
	 * @param method the method
	 * @param a the first argument
	 * @param b the second argument
	 * @param c the third argument
	 * @return the request
	 */
	public static <T, A, B, C> JobRequest of(JobMethod.Three<T, A, B, C> method, @Nullable A a, @Nullable B b,
			@Nullable C c) {
		return of(method, new @Nullable Object[] { a, b, c });
	}

	private static JobRequest of(JobMethod method, @Nullable Object[] arguments) {
		JobMethodReferences.Call call = JobMethodReferences.resolve(method, arguments);
		return new JobRequest(call.name(), new ArrayList<>(call.arguments()), null, 0, null, null, null, null, null);
	}

	/**
	 * Returns a copy stored in the given queue instead of the job's own.
	 * @param queue the queue
	 * @return a new request
	 */
	public JobRequest queue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return new JobRequest(this.name, this.arguments, queue, this.maxAttempts, this.idempotencyKey, this.runAt,
				this.delay, this.bean, this.afterCommit);
	}

	public JobRequest maxAttempts(int maxAttempts) {
		Assert.isTrue(maxAttempts > 0, "'maxAttempts' must be positive");
		return new JobRequest(this.name, this.arguments, this.queue, maxAttempts, this.idempotencyKey, this.runAt,
				this.delay, this.bean, this.afterCommit);
	}

	/**
	 * Returns a copy with an idempotency key: while a job enqueued with this key exists, a
	 * second enqueue stores nothing and returns the first job's id.
	 * @param idempotencyKey the key
	 * @return a new request
	 */
	public JobRequest idempotencyKey(String idempotencyKey) {
		Assert.hasText(idempotencyKey, "'idempotencyKey' must not be empty");
		return new JobRequest(this.name, this.arguments, this.queue, this.maxAttempts, idempotencyKey, this.runAt,
				this.delay, this.bean, this.afterCommit);
	}

	public JobRequest runAt(Instant runAt) {
		Assert.notNull(runAt, "'runAt' must not be null");
		return new JobRequest(this.name, this.arguments, this.queue, this.maxAttempts, this.idempotencyKey, runAt,
				null, this.bean, this.afterCommit);
	}

	public JobRequest delay(Duration delay) {
		Assert.isTrue(delay != null && !delay.isNegative(), "'delay' must not be negative");
		return new JobRequest(this.name, this.arguments, this.queue, this.maxAttempts, this.idempotencyKey, null,
				delay, this.bean, this.afterCommit);
	}

	/**
	 * Returns a copy that runs on the given bean, for a job method that two beans of one class
	 * define (a call through a bean runs on that bean already).
	 * @param bean the bean name
	 * @return a new request
	 */
	public JobRequest bean(String bean) {
		Assert.hasText(bean, "'bean' must not be empty");
		return new JobRequest(this.name, this.arguments, this.queue, this.maxAttempts, this.idempotencyKey, this.runAt,
				this.delay, bean, this.afterCommit);
	}

	/**
	 * Returns a copy stored when the current Spring transaction commits ({@code true}), or at
	 * once even inside one ({@code false}), instead of as
	 * {@code graceful-worker.enqueue.after-commit} says.
	 * @param afterCommit whether to wait for the commit
	 * @return a new request
	 */
	public JobRequest afterCommit(boolean afterCommit) {
		return new JobRequest(this.name, this.arguments, this.queue, this.maxAttempts, this.idempotencyKey, this.runAt,
				this.delay, this.bean, afterCommit);
	}

	/**
	 * Returns whether the job waits for the current transaction's commit.
	 * @return what {@link #afterCommit(boolean)} said, or {@code null} for the default
	 */
	public @Nullable Boolean afterCommit() {
		return this.afterCommit;
	}

	public String name() {
		return this.name;
	}

	public List<Object> arguments() {
		return this.arguments;
	}

	public @Nullable String queue() {
		return this.queue;
	}

	/**
	 * Returns the maximum number of attempts.
	 * @return the attempts, or {@code 0} for the job's default
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	public @Nullable String idempotencyKey() {
		return this.idempotencyKey;
	}

	public @Nullable Instant runAt() {
		return this.runAt;
	}

	public @Nullable Duration delay() {
		return this.delay;
	}

	public @Nullable String bean() {
		return this.bean;
	}

}
