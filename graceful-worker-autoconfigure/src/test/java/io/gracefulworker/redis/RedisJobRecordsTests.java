package io.gracefulworker.redis;

import java.util.UUID;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.JobIds;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

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
	void jobIdsAreVersionFourUuidsAndDoNotRepeat() {
		java.util.Set<String> ids = new java.util.HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String id = JobIds.generate();
			UUID uuid = UUID.fromString(id);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.toString()).isEqualTo(id);
			ids.add(id);
		}
		assertThat(ids).hasSize(100_000);
	}

}
