-- Stores a job and makes it ready, or scheduled when it is due later. Its first write adds to a
-- hash, so Redis refuses the whole script, storing nothing, when it is at maxmemory.
local ready, scheduled, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, record, run_at, delay = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local key, channel, queue = ARGV[5], ARGV[6], ARGV[7]

if key ~= '' then
	local existing = redis.call('HGET', idempotency, key)
	if existing and redis.call('HEXISTS', jobs, existing) == 1 then
		-- A write all the same, so that a WAIT after this call covers the stored job.
		redis.call('HSET', idempotency, key, existing)
		return existing
	end
	redis.call('HSET', idempotency, key, id)
end

-- The record, written by the client with its enqueue time, is stored as it is. Redis's clock is
-- read only for a job due later.
redis.call('HSET', jobs, id, record)
local due = 0
if run_at > 0 then
	due = run_at
elseif delay > 0 then
	local time = redis.call('TIME')
	due = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + delay
end
if due > 0 then
	-- A time already past is moved to ready by the next claim, which the wake-up brings at once.
	redis.call('ZADD', scheduled, due, id)
	redis.call('PUBLISH', channel, queue)
elseif redis.call('RPUSH', ready, id) == 1 then
	redis.call('PUBLISH', channel, queue)
end
return id
