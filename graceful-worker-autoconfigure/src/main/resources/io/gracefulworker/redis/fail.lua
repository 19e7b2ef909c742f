-- Records a failed attempt, only while the caller's token owns the lease: schedules a retry
-- after the given delay, or moves the job to the dead set when the delay is negative.
-- Returns 1, or 0 when the token does not own the lease, or 2 when the job had already ended:
-- its id was on ready again after its outcome was kept or while it is in the dead set (a second
-- copy, which a worker reads as unreadable), so only the copy's lease is removed and the job
-- stays as it was. Its first write removes the lease, so it runs even when Redis is at maxmemory:
-- it moves a job whose error is bounded in size, and a refused failure would only make the job
-- run again when its lease expires.
local leases, owners, jobs, scheduled, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id, token, error_json, delay, channel, queue = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]

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
if not ok or type(job) ~= 'table' then
	job = { id = id, raw = raw }
elseif is_outcome(job) or (job.deadAt and redis.call('ZSCORE', dead, id)) then
	return 2
end
-- The attempt that failed is counted here; the claim does not write the record.
job.attempt = (tonumber(job.attempt) or 0) + 1
job.error = cjson.decode(error_json)
job.error.at = now
if delay >= 0 then
	job.retryAt = now + delay
	redis.call('ZADD', scheduled, now + delay, id)
	redis.call('PUBLISH', channel, queue)
else
	job.deadAt = now
	redis.call('ZADD', dead, now, id)
end
redis.call('HSET', jobs, id, cjson.encode(job))
return 1
