-- Ends a running job as cancelled, only while the caller's token owns its lease: its record
-- becomes a cancelled outcome (without arguments), kept like a finished job, indexed as ARGV[3]
-- says ('list' or 'sorted-set', outcomes.lua). Returns 1 or 0.
-- Its first write removes the lease, so it runs even when Redis is at maxmemory.
local leases, owners, jobs, finished, cancels, outcomes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local id, token, layout = ARGV[1], ARGV[2], ARGV[3]

if redis.call('HGET', owners, id) ~= token then
	return 0
end
redis.call('ZREM', leases, id)
redis.call('HDEL', owners, id)
unpin(owners, leases)
redis.call('HDEL', cancels, id)

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ok, job = decode_record(redis.call('HGET', jobs, id) or '')
if not ok or type(job) ~= 'table' then
	job = {}
end
job.args = nil
job.checkpoint = nil
job.state = 'cancelled'
job.attempt = (tonumber(job.attempt) or 0) + 1
job.finishedAt = now
redis.call('HSET', jobs, id, cjson.encode(job))
index_outcome(layout, finished, outcomes, now, id)
return 1
