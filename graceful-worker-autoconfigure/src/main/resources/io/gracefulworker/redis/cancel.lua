-- Cancels a job that waits (ready or scheduled): in one step it leaves its queue and its record
-- becomes a cancelled outcome (without arguments), kept like a finished job. A job that runs or
-- has ended is left alone. Returns the job's state: 'cancelled' (now), 'unknown', 'finished',
-- 'dead' or 'running'.
local jobs, ready, scheduled, leases, finished, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local id = ARGV[1]

local raw = redis.call('HGET', jobs, id)
if not raw then
	return 'unknown'
end
if redis.call('ZSCORE', finished, id) then
	return 'finished'
end
if redis.call('ZSCORE', dead, id) then
	return 'dead'
end
if redis.call('ZSCORE', leases, id) then
	return 'running'
end
if redis.call('ZREM', scheduled, id) == 0 then
	redis.call('LREM', ready, 1, id)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ok, job = pcall(cjson.decode, raw)
if not ok or type(job) ~= 'table' then
	job = {}
end
job.args = nil
job.checkpoint = nil
job.state = 'cancelled'
redis.call('HSET', jobs, id, cjson.encode(job))
redis.call('ZADD', finished, now, id)
return 'cancelled'
