-- While jobs of a queue run, its owners hash, and its leases set when leases are kept per job,
-- hold one entry more: PIN, longer than Redis's listpack limits (hash-max-listpack-value and
-- zset-max-listpack-value, 64 bytes by default). Redis then keeps both in their hashed
-- encodings, where a command finds a job in the same time at any size. Compact, they hold up to
-- 128 entries that each command scans from the start: at a worker's 64 slots that scanning was
-- over a third of Redis's work a job. The entry is never a job: it has no record, its lease never
-- lapses (+inf) and it has an owner, so no recovery, of this release or an earlier one, takes it.
-- Put before each script that names PIN, after the line that defines PIN (RedisJobKeys).

-- Removes the pin once no job of the queue runs, so that an idle queue keeps no such keys.
local function unpin(owners, leases)
	if redis.call('HLEN', owners) == 1 and redis.call('HEXISTS', owners, PIN) == 1 then
		redis.call('DEL', owners)
		redis.call('ZREM', leases, PIN)
	end
end

