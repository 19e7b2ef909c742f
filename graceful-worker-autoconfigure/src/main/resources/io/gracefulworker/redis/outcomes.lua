-- A kept outcome (a succeeded or cancelled job's record, without its arguments) names its state
-- and when its job ended (finishedAt, epoch ms). Its id is indexed in one of two structures of
-- its queue (RedisOutcomeLayout): the finished sorted set, by when it ended, which every release
-- reads; or the outcomes list, in the order the jobs ended, its head the oldest, which spares a
-- completion the sorted set's insert and the time, and holds succeeded outcomes compact
-- (record.lua); only the releases whose fleet entries list that layout read it. Readers ask the
-- sorted set first, then the record.
-- Put before each script that calls is_outcome, outcome_ended_at or index_outcome, after
-- record.lua.

-- Whether a decoded record (decode_record's second value) is a kept outcome.
local function is_outcome(job)
	return type(job) == 'table' and (job.state == 'succeeded' or job.state == 'cancelled')
end

-- Returns when a job ended (epoch ms) and its fields if its record is a kept outcome, else nil.
local function outcome_ended_at(raw)
	if not raw then
		return nil
	end
	local ok, job = decode_record(raw)
	if ok and is_outcome(job) then
		return tonumber(job.finishedAt) or 0, job
	end
	return nil
end

-- Indexes the outcome of job `id`, ended `now` (epoch ms): in the outcomes list when `layout` is
-- 'list', else in the finished sorted set.
local function index_outcome(layout, finished, outcomes, now, id)
	if layout == 'list' then
		redis.call('RPUSH', outcomes, id)
	else
		redis.call('ZADD', finished, now, id)
	end
end
