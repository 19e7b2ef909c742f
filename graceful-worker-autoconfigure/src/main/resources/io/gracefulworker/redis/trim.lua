-- Removes kept outcomes and dead jobs of one queue past their retention, oldest first: those
-- older than their age limit, then the oldest beyond their count limit, at most `limit` of each
-- per call. Each removed job's idempotency key is freed if it still names the job.
-- ARGV: finished age (ms), finished count, dead age (ms), dead count, limit.
-- Returns { finished removed, dead removed, dead left }.
local jobs, finished, dead, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local finished_ms, finished_max = tonumber(ARGV[1]), tonumber(ARGV[2])
local dead_ms, dead_max, limit = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- The ids are the set's first by rank (both queries below start at its lowest score).
local function remove(set, ids)
	if #ids == 0 then
		return 0
	end
	-- Without any idempotency key in the queue no record can hold one to free: the records,
	-- whose reading is most of a trim's cost, are read only when there is one.
	free_keys(idempotency, jobs, ids)
	redis.call('ZREMRANGEBYRANK', set, 0, #ids - 1)
	redis.call('HDEL', jobs, unpack(ids))
	unpin_hash(jobs)
	return #ids
end

local function trim(set, age_ms, max)
	local removed = remove(set, redis.call('ZRANGEBYSCORE', set, '-inf', now - age_ms, 'LIMIT', 0, limit))
	local over = redis.call('ZCARD', set) - max
	if over > 0 and removed < limit then
		removed = removed + remove(set, redis.call('ZRANGE', set, 0, math.min(over, limit - removed) - 1))
	end
	return removed
end

local finished_removed = trim(finished, finished_ms, finished_max)
local dead_removed = trim(dead, dead_ms, dead_max)
return { finished_removed, dead_removed, redis.call('ZCARD', dead) }
