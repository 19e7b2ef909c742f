-- Deletes dead jobs and frees their idempotency keys; ids no longer dead are left alone.
-- ARGV: the ids. Returns how many were deleted.
local dead, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3]

local deleted = 0
for _, id in ipairs(ARGV) do
	if redis.call('ZREM', dead, id) == 1 then
		local ok, job = decode_record(redis.call('HGET', jobs, id) or '')
		if ok and type(job) == 'table' and type(job.idem) == 'string'
			and redis.call('HGET', idempotency, job.idem) == id then
			redis.call('HDEL', idempotency, job.idem)
		end
		redis.call('HDEL', jobs, id)
		deleted = deleted + 1
	end
end
unpin_hash(jobs)
unpin_hash(idempotency)
return deleted
