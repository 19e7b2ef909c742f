package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobState;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job arguments are written and read with the application's JsonMapper, its modules included,
 * even when that mapper turns default typing on: no payload names a class, and a payload that
 * does is never instantiated. A JobCodec bean replaces the mapper.
 */
@ExtendWith(RedisExtension.class)
class ApplicationJsonMapperIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void flush(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		Thermometer.readings.clear();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void argumentsUseTheApplicationsModulesAndNeverNameAClassThoughItsMapperTypesByDefault() {
		start(ThermometerApplication.class, DefaultTypingCustomizer.class);
		JobClient client = this.context.getBean(JobClient.class);
		client.enqueue("test.temperature", Celsius.of(215));
		await().atMost(WAIT).until(() -> !Thermometer.readings.isEmpty());
		assertThat(Thermometer.readings).containsExactly(215);
		// One due later, whose record keeps its arguments to be read here.
		JobId id = client.schedule("test.temperature", Duration.ofHours(1), Celsius.of(215));
		String record = (String) this.context.getBean(StringRedisTemplate.class)
			.opsForHash()
			.get(RedisJobKeys.of("gw", "default").jobs(), id.value());
		assertThat(record).as("written by the module, as a string").contains("21.5C")
			.doesNotContain("@class")
			.doesNotContain("io.gracefulworker");
	}

	@Test
	void aPayloadThatNamesAClassIsNeverInstantiatedAndTheJobIsDead() throws Exception {
		start(ThermometerApplication.class, DefaultTypingCustomizer.class);
		Probe.created = 0;
		JsonMapper typing = this.context.getBean(JsonMapper.class);
		String hostile = typing.writeValueAsString(List.of(new Probe("x")));
		assertThat(hostile).as("the application's mapper names classes").contains(Probe.class.getName());
		String id = "hostile-1";
		StringRedisTemplate template = this.context.getBean(StringRedisTemplate.class);
		RedisJobKeys keys = RedisJobKeys.of("gw", "default");
		template.opsForHash().put(keys.jobs(), id, "{\"name\":\"test.probe\",\"args\":"
				+ typing.writeValueAsString(hostile) + ",\"maxAttempts\":1,\"enqueuedAt\":" + System.currentTimeMillis() + "}");
		template.opsForList().rightPush(keys.ready(), id);
		JobOperations operations = this.context.getBean(JobOperations.class);
		await().atMost(WAIT).until(() -> operations.status(new JobId(id))
			.map((status) -> status.state() == JobState.DEAD)
			.orElse(false));
		assertThat(Probe.created).as("instances made from the payload").isZero();
		assertThat(Thermometer.probes).as("runs of the job").isEmpty();
	}

	@Test
	void aJobCodecBeanReplacesTheApplicationsMapper() {
		start(ThermometerApplication.class, OwnCodec.class);
		assertThat(this.context.getBean(JobCodec.class)).isSameAs(this.context.getBean(OwnCodec.class).codec);
		this.context.getBean(JobClient.class).enqueue("test.temperature", Celsius.of(-40));
		await().atMost(WAIT).until(() -> !Thermometer.readings.isEmpty());
		assertThat(Thermometer.readings).containsExactly(-40);
	}

	private void start(Class<?>... sources) {
		List<String> all = new ArrayList<>(this.redis.springProperties());
		all.add("spring.main.banner-mode=off");
		all.add("graceful-worker.worker.queues.default=1");
		all.add("graceful-worker.retry.max-attempts=1");
		all.add("graceful-worker.worker.unknown-job.retry-delay=10ms");
		all.add("graceful-worker.worker.unknown-job.timeout=1ms");
		this.context = new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/** A value Jackson cannot read without the application's module: no creator, no setters. */
	static final class Celsius {

		final int tenths;

		private Celsius(int tenths) {
			this.tenths = tenths;
		}

		static Celsius of(int tenths) {
			return new Celsius(tenths);
		}

	}

	/** A type whose construction the test counts. */
	static final class Probe {

		static volatile int created;

		public String value;

		Probe() {
			created++;
		}

		Probe(String value) {
			this.value = value;
		}

	}

	static SimpleModule celsiusModule() {
		return new SimpleModule("celsius").addSerializer(Celsius.class, new ValueSerializer<>() {

			@Override
			public void serialize(Celsius value, JsonGenerator generator, SerializationContext context) {
				generator.writeString((value.tenths / 10.0) + "C");
			}

		}).addDeserializer(Celsius.class, new ValueDeserializer<>() {

			@Override
			public Celsius deserialize(JsonParser parser, DeserializationContext context) {
				String text = parser.getString();
				return Celsius.of((int) Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 10));
			}

		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ThermometerApplication {

		@Bean
		Thermometer thermometer() {
			return new Thermometer();
		}

		@Bean
		JsonMapperBuilderCustomizer celsius() {
			return (builder) -> builder.addModule(celsiusModule());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultTypingCustomizer {

		@Bean
		JsonMapperBuilderCustomizer defaultTyping() {
			return (builder) -> builder.activateDefaultTyping(BasicPolymorphicTypeValidator.builder()
				.allowIfBaseType(Object.class)
				.build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCodec {

		final JobCodec codec = new JobCodec(JsonMapper.builder().addModule(celsiusModule()).build());

		@Bean
		JobCodec jobCodec() {
			return this.codec;
		}

	}

	static class Thermometer {

		static final Queue<Integer> readings = new ConcurrentLinkedQueue<>();

		@Job(name = "test.temperature")
		public void record(Celsius temperature) {
			readings.add(temperature.tenths);
		}

		static final Queue<Probe> probes = new ConcurrentLinkedQueue<>();

		@Job(name = "test.probe")
		public void probe(Probe value) {
			probes.add(value);
		}

	}

}
