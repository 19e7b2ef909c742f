package io.gracefulworker.core;

import java.util.function.Consumer;

import io.gracefulworker.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The worker's subscription to the store's wake-ups: a message that jobs may have become ready
 * in one of its queues wakes the dispatcher at once, and one that a job it runs was cancelled
 * tells that job. If the store cannot be reached the worker
 * polls, and the subscription is tried again on each recovery pass.
 */
final class WakeUps {

	private static final Log logger = LogFactory.getLog(WakeUps.class);

	private final JobQueue queue;

	private final WorkerSettings settings;

	private final WorkerStateMachine state;

	private final WorkerSignal signal;

	private final WorkerSlots slots;

	private final HandOffs handOffs;

	private final JobRunner runner;

	private final WorkerListener listener;

	private volatile @Nullable AutoCloseable subscription;

	WakeUps(JobQueue queue, WorkerSettings settings, WorkerStateMachine state, WorkerSignal signal, WorkerSlots slots,
			HandOffs handOffs, JobRunner runner, WorkerListener listener) {
		this.slots = slots;
		this.listener = listener;
		this.handOffs = handOffs;
		this.runner = runner;
		this.queue = queue;
		this.settings = settings;
		this.state = state;
		this.signal = signal;
	}

	void start() {
		this.subscription = subscribe();
	}

	/**
	 * Subscribes again if the last try failed and the worker runs.
	 */
	void ensureSubscribed() {
		if (this.subscription == null && this.state.is(WorkerState.RUNNING)) {
			this.subscription = subscribe();
		}
	}

	void stop() {
		AutoCloseable handle = this.subscription;
		this.subscription = null;
		if (handle != null) {
			try {
				handle.close();
			}
			catch (Exception ex) {
				logger.debug("Could not close the wake-up subscription", ex);
			}
		}
	}

	private @Nullable AutoCloseable subscribe() {
		try {
			Consumer<String> wakeUps = (readyQueue) -> {
				if (this.settings.queues().containsKey(readyQueue)) {
					this.signal.wake();
				}
			};
			Consumer<CancelRequest> cancels = (cancel) -> {
				JobExecution execution = this.slots.get(cancel.id());
				if (execution != null) {
					execution.requestCancel(cancel.interrupt());
				}
			};
			if (!this.handOffs.enabled()) {
				return this.queue.subscribe(wakeUps, cancels);
			}
			return this.queue.subscribe(wakeUps, cancels, this.settings.id(), (handedOver) -> {
				// Launched before its kept slot is given up, so that the slots never look freer
				// than they are; then the dispatcher registers again if a slot is left.
				ClaimedJob job = handedOver.job();
				this.runner.launchHandedOver(job, this.state.is(WorkerState.PAUSED),
						this.handOffs.keepsSlotFor(job.queue(), handedOver.seq()));
				this.handOffs.arrived(job.queue(), handedOver.seq());
				this.signal.wake();
				this.listener.handedOver(job.queue());
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Worker " + this.settings.id() + " could not subscribe to wake-ups (" + ex.getMessage()
					+ "); it polls every " + this.settings.pollInterval().toMillis() + " ms and tries again");
			return null;
		}
	}

}
