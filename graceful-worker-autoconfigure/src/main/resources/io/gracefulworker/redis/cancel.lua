-- Cancels a job. One that waits (ready or scheduled) leaves its queue in this step and its record
-- becomes a cancelled outcome (without arguments), kept like a finished job. For one that runs,
-- a cancel request ('interrupt' or 'flag') is stored for its worker, which the claim also
-- honours should the job come back to its queue, and the worker is told at once. A job that has
-- ended is left alone. ARGV[4] is where a cancelled outcome is indexed ('list' or 'sorted-set',
-- outcomes.lua). Returns 'cancelled', 'cancelling', 'unknown', 'finished' or 'dead'.
local jobs, ready, scheduled, leases, finished, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local cancels, owners, outcomes = KEYS[7], KEYS[8], KEYS[9]
local id, mode, channel, layout = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local raw = redis.call('HGET', jobs, id)
if not raw or id == PIN then
	return 'unknown'
end
if redis.call('ZSCORE', finished, id) then
	return 'finished'
end
if redis.call('ZSCORE', dead, id) then
	return 'dead'
end
-- A job leased per worker (holders.lua) has an owner and no lease of its own.
if redis.call('ZSCORE', leases, id) or redis.call('HEXISTS', owners, id) == 1 then
	redis.call('HSET', cancels, id, mode)
	redis.call('PUBLISH', channel, mode .. ':' .. id)
	return 'cancelling'
end
local ok, job = decode_record(raw)
if not ok or type(job) ~= 'table' then
	job = {}
end
if redis.call('ZREM', scheduled, id) == 0 then
	-- Neither scheduled nor running: ready, or an outcome kept in the outcomes list.
	if is_outcome(job) then
		return 'finished'
	end
	redis.call('LREM', ready, 1, id)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
job.args = nil
job.checkpoint = nil
job.state = 'cancelled'
job.finishedAt = now
redis.call('HSET', jobs, id, cjson.encode(job))
index_outcome(layout, finished, outcomes, now, id)
return 'cancelled'
