-- Removes kept outcomes and dead jobs of one queue past their retention, oldest first: those
-- older than their age limit, then the oldest beyond their count limit, at most `limit` of each
-- per call. Each removed job's idempotency key is freed if it still names the job. Kept outcomes
-- are trimmed in both their indexes (outcomes.lua), each to the count.
-- While outcomes are kept in the sorted set (ARGV[6] 'sorted-set': a worker of an earlier build,
-- which reads only that index, is live), those the list holds move there first, so that such a
-- worker reads them too.
-- ARGV: finished age (ms), finished count, dead age (ms), dead count, limit, outcome index.
-- Returns { finished removed, dead removed, dead left, outcomes moved }.
local jobs, finished, dead, idempotency, outcomes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local finished_ms, finished_max = tonumber(ARGV[1]), tonumber(ARGV[2])
local dead_ms, dead_max, limit = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local layout = ARGV[6]

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

-- The outcomes list is in the order its jobs ended: those past their age are at its head, and
-- each record says when (one whose record is gone counts as past it). An entry whose id names a
-- record that is not a kept outcome leaves the list and the record stays.
local function trim_list(list, age_ms, max, limit)
	local head = redis.call('LRANGE', list, 0, limit - 1)
	if #head == 0 then
		return 0
	end
	local records = redis.call('HMGET', jobs, unpack(head))
	-- Per entry: when its job ended, 0 without a record, false for a record that is no outcome.
	local ended = {}
	local function ended_at(i)
		if ended[i] == nil then
			if records[i] then
				ended[i] = outcome_ended_at(records[i]) or false
			else
				ended[i] = 0
			end
		end
		return ended[i]
	end
	local expired = 0
	for i = 1, #head do
		local at = ended_at(i)
		if at and at > now - age_ms then
			break
		end
		expired = i
	end
	local count = math.min(math.max(expired, redis.call('LLEN', list) - max), #head)
	if count == 0 then
		return 0
	end
	local ids = {}
	for i = 1, count do
		if ended_at(i) then
			ids[#ids + 1] = head[i]
		end
	end
	redis.call('LTRIM', list, count, -1)
	if #ids > 0 then
		free_keys(idempotency, jobs, ids)
		redis.call('HDEL', jobs, unpack(ids))
		unpin_hash(jobs)
	end
	return count
end

local moved = 0
if layout == 'sorted-set' then
	local head = redis.call('LRANGE', outcomes, 0, limit - 1)
	if #head > 0 then
		local records = redis.call('HMGET', jobs, unpack(head))
		local scored, rewritten = {}, {}
		for i = 1, #head do
			local ended, job = outcome_ended_at(records[i])
			if ended then
				scored[#scored + 1] = ended
				scored[#scored + 1] = head[i]
				-- Such a worker reads outcomes as JSON only.
				if is_compact_record(records[i]) then
					rewritten[#rewritten + 1] = head[i]
					rewritten[#rewritten + 1] = cjson.encode(job)
				end
			end
		end
		if #rewritten > 0 then
			redis.call('HSET', jobs, unpack(rewritten))
		end
		if #scored > 0 then
			redis.call('ZADD', finished, unpack(scored))
		end
		redis.call('LTRIM', outcomes, #head, -1)
		moved = #head
	end
end

local finished_removed = trim(finished, finished_ms, finished_max)
if finished_removed < limit then
	finished_removed = finished_removed + trim_list(outcomes, finished_ms, finished_max, limit - finished_removed)
end
local dead_removed = trim(dead, dead_ms, dead_max)
return { finished_removed, dead_removed, redis.call('ZCARD', dead), moved }
