-- Gives a leased job back without counting the attempt (the claim did not count it), only while
-- the caller's token owns the lease: to the front of ready, or to scheduled after a delay.
-- Returns 1 or 0.
local leases, owners, jobs, ready, scheduled = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id, token, reason, delay, channel, queue = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]

if redis.call('HGET', owners, id) ~= token then
	return 0
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREM', leases, id)
redis.call('HDEL', owners, id)
unpin(owners, leases)

local raw = redis.call('HGET', jobs, id)
local ok, job = decode_record(raw or '')
if ok and type(job) == 'table' then
	job.requeues = (tonumber(job.requeues) or 0) + 1
	job.requeueReason = reason
	job.requeuedAt = now
	if (reason == 'unknown-job' or reason == 'unknown-shape') and not job.unknownSince then
		job.unknownSince = now
	end
	redis.call('HSET', jobs, id, cjson.encode(job))
end

if delay > 0 then
	redis.call('ZADD', scheduled, now + delay, id)
else
	redis.call('LPUSH', ready, id)
end
redis.call('PUBLISH', channel, queue)
return 1
