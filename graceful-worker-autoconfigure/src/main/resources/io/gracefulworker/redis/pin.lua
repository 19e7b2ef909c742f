-- Once eight jobs of a queue run at once, and until none does, its owners hash, and its leases
-- set when leases are kept per job, hold one entry more: PIN, longer than Redis's listpack
-- limits (hash-max-listpack-value and zset-max-listpack-value, 64 bytes by default). Redis then
-- keeps both in their hashed encodings, where a command finds a job in the same time at any
-- size. Compact, they hold up to 512 and 128 entries (hash-max-listpack-entries,
-- zset-max-listpack-entries) that each command scans from the start: at a worker's 64 slots that
-- scanning was over a third of Redis's work a job. The entry is never a job: it is never ready,
-- its lease never lapses (+inf) and its owner names no worker, so no recovery, of this release
-- or an earlier one, takes it. A few running jobs are found as quickly in a compact list, and a
-- queue that runs one job at a time would build and drop the hashed encodings for each (5% more
-- of Redis's work a job, where 8 running jobs already spend 1% less with the pin and 64 17%
-- less): a claim pins from the eighth running job on. The jobs and idempotency hashes hold it
-- too (pin_hash.lua).
-- Put before each script that names PIN, after the line that defines PIN (RedisJobKeys).
local PIN_FROM = 8

-- Removes the pin once no job of the queue runs, so that an idle queue keeps no such keys.
local function unpin(owners, leases)
	if redis.call('HLEN', owners) == 1 and redis.call('HEXISTS', owners, PIN) == 1 then
		redis.call('DEL', owners)
		redis.call('ZREM', leases, PIN)
	end
end
