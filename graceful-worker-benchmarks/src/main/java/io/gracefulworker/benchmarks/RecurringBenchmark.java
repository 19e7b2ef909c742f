package io.gracefulworker.benchmarks;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.core.RecurringSchedule;
import io.gracefulworker.core.RecurringScheduler;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisJobQueue;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis cost of 1,000 cron schedules that fire every second, fired by two schedulers (two
 * pods) at once, and how many of their ticks fired: the ticks' jobs are counted in the ready list,
 * which no worker drains.
 */
final class RecurringBenchmark {

	private static final int SCHEDULES = 1_000;

	private static final Duration RUN = Duration.ofSeconds(10);

	private static final String QUEUE = "bench-recurring";

	private final RedisUnderTest redis;

	private final String prefix;

	private final BiConsumer<String, Object> figure;

	RecurringBenchmark(RedisUnderTest redis, String prefix, BiConsumer<String, Object> figure) {
		this.redis = redis;
		this.prefix = prefix + "-recurring";
		this.figure = figure;
	}

	void run() throws InterruptedException {
		LettuceConnectionFactory connections = this.redis.connectionFactory();
		RedisJobQueue queue = new RedisJobQueue(connections, this.prefix);
		JobRegistry registry = new JobRegistry(new JobCodec(), QUEUE, 1);
		List<RecurringSchedule> schedules = new ArrayList<>();
		for (int i = 0; i < SCHEDULES; i++) {
			schedules.add(new RecurringSchedule("bench.tick-" + i, QUEUE, "* * * * * *", ZoneId.of("UTC"),
					MissedTicks.FIRE_ONCE, Overlap.ALLOW, 1));
		}
		List<RecurringScheduler> pods = new ArrayList<>();
		for (int pod = 0; pod < 2; pod++) {
			String id = "bench-pod-" + pod;
			pods.add(new RecurringScheduler(queue, registry, () -> schedules, () -> id, () -> Set.of(QUEUE), 0));
		}
		RedisJobKeys keys = queue.keys(QUEUE);
		StringRedisTemplate template = new StringRedisTemplate(connections);
		try {
			pods.forEach(RecurringScheduler::start);
			// The first ticks fire a second after the declarations: measure from then on.
			Thread.sleep(3_000);
			Long readyBefore = template.opsForList().size(keys.ready());
			Map<String, Long> before = this.redis.callsByCommand();
			long start = System.nanoTime();
			Thread.sleep(RUN.toMillis());
			Map<String, Long> after = this.redis.callsByCommand();
			double seconds = (System.nanoTime() - start) / 1e9;
			Long readyAfter = template.opsForList().size(keys.ready());
			long commands = RedisUnderTest.sum(after, "") - RedisUnderTest.sum(before, "");
			long fired = ((readyAfter != null) ? readyAfter : 0) - ((readyBefore != null) ? readyBefore : 0);
			this.figure.accept("recurring_1000_schedules_redis_commands_per_s",
					String.format(Locale.ROOT, "%.0f (two schedulers; %.2f per fired job)", commands / seconds,
							(double) commands / Math.max(1, fired)));
			this.figure.accept("recurring_1000_schedules_jobs_per_s",
					String.format(Locale.ROOT, "%.0f (of %d ticks a second)", fired / seconds, SCHEDULES));
		}
		finally {
			pods.forEach(RecurringScheduler::stop);
			template.unlink(List.of(keys.ready(), keys.jobs(), keys.recurring(), keys.ticks(), keys.declarers(),
					keys.recurringState()));
			connections.destroy();
		}
	}

}
