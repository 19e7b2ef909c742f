package io.gracefulworker.redis;

import java.time.Instant;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobIds;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The record a new job is stored as, written by hand, reads back exactly.
 */
class RedisJobRecordsTests {

	private final RedisJobRecords records = new RedisJobRecords();

	@Test
	void aRecordWithCharactersJsonMustEscapeReadsBackExactly() {
		String tricky = "q\"uote\\back\nline\ttab\u0001ctl \u00e9\u4e2d\ud83d\ude00 </script>";
		NewJob job = new NewJob("id-1", "job." + tricky, "queue", "[\"" + tricky.replace("\\", "\\\\") + "\"]", 7,
				"key " + tricky, null, null, "bean " + tricky);
		String written = this.records.write(job);
		assertThat(JsonMapper.builder().build().readTree(written).isObject()).isTrue();
		ClaimedJob claimed = this.records.read("id-1", "queue", "token", written);
		JobRecord record = claimed.record();
		assertThat(record).isNotNull();
		assertThat(record.name()).isEqualTo(job.name());
		assertThat(record.arguments()).isEqualTo(job.arguments());
		assertThat(record.idempotencyKey()).isEqualTo(job.idempotencyKey());
		assertThat(record.bean()).isEqualTo(job.bean());
		assertThat(record.maxAttempts()).isEqualTo(7);
		assertThat(record.attempt()).isEqualTo(1);
	}

	@Test
	void aCompactRecordReadsBackExactlyAndAsTheSameJsonAsAJsonRecord() {
		String tricky = "q\"uote\\back\nline\ttab\u0001ctl \u00e9\u4e2d\ud83d\ude00 </script>";
		NewJob job = new NewJob("id-1", "job." + tricky, "queue", "[\"" + tricky.replace("\\", "\\\\") + "\"]", 7,
				"key:" + tricky, null, null, "bean " + tricky).withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		RedisJobRecords compact = new RedisJobRecords();
		compact.writeCompact(() -> true);
		String written = compact.write(job);
		assertThat(written).startsWith(String.valueOf(RedisCompactRecords.MARK));
		JobRecord record = compact.read("id-1", "queue", "token", written).record();
		assertThat(record).isNotNull();
		assertThat(record.name()).isEqualTo(job.name());
		assertThat(record.arguments()).isEqualTo(job.arguments());
		assertThat(record.idempotencyKey()).isEqualTo(job.idempotencyKey());
		assertThat(record.bean()).isEqualTo(job.bean());
		assertThat(record.traceparent()).isEqualTo(job.traceparent());
		assertThat(record.maxAttempts()).isEqualTo(7);
		assertThat(record.attempt()).isEqualTo(1);
		assertThat(record.enqueuedAt()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
		JsonMapper json = JsonMapper.builder().build();
		tools.jackson.databind.JsonNode expanded = json.readTree(RedisJobRecords.json(written));
		tools.jackson.databind.JsonNode stored = json.readTree(this.records.write(job));
		assertThat(expanded.get("enqueuedAt").asLong()).isEqualTo(record.enqueuedAt());
		assertThat(((tools.jackson.databind.node.ObjectNode) expanded).without("enqueuedAt"))
			.isEqualTo(((tools.jackson.databind.node.ObjectNode) stored).without("enqueuedAt"));
	}

	@Test
	void aCompactRecordOfAPlainJobLeavesOutItsAbsentFieldsAndFitsRedissSmallerStrings() {
		RedisJobRecords compact = new RedisJobRecords();
		compact.writeCompact(() -> true);
		NewJob job = new NewJob("id", "bench.noop", "bench", "[]", 3, null, null, null, null);
		String written = compact.write(job);
		// name, arguments, attempts and an enqueue time of eight base-36 digits: 25 characters,
		// against 76 as JSON (Redis keeps strings of up to 44 in its 48-byte size class).
		assertThat(written).hasSize(25).doesNotEndWith(String.valueOf(RedisCompactRecords.MARK));
		assertThat(this.records.write(job)).hasSize(76);
		assertThat(RedisJobRecords.json(written)).doesNotContain("idem", "bean", "tp");
		JobRecord record = compact.read("id", "bench", "t", written).record();
		assertThat(record).isNotNull();
		assertThat(record.idempotencyKey()).isNull();
		assertThat(record.bean()).isNull();
		assertThat(record.traceparent()).isNull();
	}

	@Test
	void aJobWhoseNameKeyOrBeanHoldsTheCompactSeparatorIsWrittenAsJson() {
		RedisJobRecords compact = new RedisJobRecords();
		compact.writeCompact(() -> true);
		NewJob job = new NewJob("id", "odd\u001Fname", "q", "[]", 3, "key\u001F", null, null, null);
		String written = compact.write(job);
		assertThat(written).startsWith("{");
		JobRecord record = compact.read("id", "q", "t", written).record();
		assertThat(record).isNotNull();
		assertThat(record.name()).isEqualTo("odd\u001Fname");
		assertThat(record.idempotencyKey()).isEqualTo("key\u001F");
	}

	@Test
	void aCompactRecordWithoutANameIsUnreadableWithTheReason() {
		ClaimedJob claimed = this.records.read("id", "q", "t", RedisCompactRecords.MARK + "" + RedisCompactRecords.MARK
				+ "[]" + RedisCompactRecords.MARK + "3");
		assertThat(claimed.record()).isNull();
		assertThat(claimed.unreadable()).contains("no 'name'");
	}

	@Test
	void aCompactOutcomeReadsAsTheSameJsonAsAJsonOutcomeAndIsAThirdOfItsLength() throws Exception {
		String tricky = "q\"uote\\back\nline \u00e9\u4e2d\ud83d\ude00";
		JobRecord record = new JobRecord("id-1", "job." + tricky, "queue", "[1]", 2, 5, "key " + tricky, null, null,
				null, 1_765_000_000_123L);
		FinishedJob finished = new FinishedJob(ClaimedJob.of("w:1:1", record), Instant.ofEpochMilli(1_765_000_001_456L),
				"worker " + tricky);
		String json = this.records.writeOutcome(finished, false);
		String compact = this.records.writeOutcome(finished, true);
		assertThat(compact).startsWith("\u001f\u001f");
		assertThat(compact.length()).isLessThan(json.length() / 2);
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode expected = mapper.readTree(json);
		JsonNode read = mapper.readTree(RedisJobRecords.json(compact));
		// Written a millisecond or so apart.
		assertThat(read.path("finishedAt").asLong()).isCloseTo(expected.path("finishedAt").asLong(), within(1000L));
		((ObjectNode) read).remove("finishedAt");
		((ObjectNode) expected).remove("finishedAt");
		assertThat(read).isEqualTo(expected);
		assertThat(expected.path("idem").asString()).isEqualTo("key " + tricky);
		assertThat(expected.path("attempt").asInt()).isEqualTo(2);
	}

	@Test
	void anOutcomeWhoseWorkerOrKeyHoldsTheCompactSeparatorIsWrittenAsJson() {
		JobRecord record = new JobRecord("id-1", "job", "queue", "[1]", 1, 3, "key\u001fx", null, null, null, 0);
		FinishedJob finished = new FinishedJob(ClaimedJob.of("w:1:1", record), Instant.now(), "worker");
		assertThat(this.records.writeOutcome(finished, true)).startsWith("{\"state\":\"succeeded\"");
	}

	@Test
	void jobIdsAreSixteenUrlSafeCharactersThatDoNotRepeatAndUseEveryBit() {
		java.util.Set<String> ids = new java.util.HashSet<>();
		int[][] seen = new int[JobIds.LENGTH][64];
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		for (int i = 0; i < 100_000; i++) {
			String id = JobIds.generate();
			assertThat(id).hasSize(JobIds.LENGTH).matches("[A-Za-z0-9_-]+");
			for (int c = 0; c < id.length(); c++) {
				seen[c][alphabet.indexOf(id.charAt(c))]++;
			}
			ids.add(id);
		}
		assertThat(ids).hasSize(100_000);
		// Every position takes every one of the 64 characters about equally often: no bit is fixed
		// or biased (100,000 / 64 = 1,562 each).
		for (int c = 0; c < JobIds.LENGTH; c++) {
			for (int k = 0; k < 64; k++) {
				assertThat(seen[c][k]).as("'%s' at position %d", alphabet.charAt(k), c).isBetween(1300, 1850);
			}
		}
	}

}
