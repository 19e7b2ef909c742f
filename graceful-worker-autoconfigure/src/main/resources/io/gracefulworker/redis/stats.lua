-- Counts a queue's jobs by state and the age of its oldest ready job, in one round trip.
-- Returns { ready, scheduled, leased, dead, oldest ready age in ms (-1 if none), live consumers,
-- jobs that ever succeeded }.
local ready, scheduled, leases, dead, jobs, consumers, succeeded, owners = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
	KEYS[5], KEYS[6], KEYS[7], KEYS[8]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local age = -1
local oldest = redis.call('LINDEX', ready, 0)
if oldest then
	local raw = redis.call('HGET', jobs, oldest)
	local enqueued = nil
	if is_compact_record(raw) then
		local ok, job = decode_record(raw)
		enqueued = ok and job.enqueuedAt or nil
	elseif raw then
		enqueued = tonumber(string.match(raw, '"enqueuedAt":(%d+)'))
	end
	if enqueued then
		age = math.max(0, now - enqueued)
	end
end
-- Leased jobs each have an owner, with a lease of their own or their worker's (holders.lua); a
-- lease left without an owner counts until a recovery pass removes it. The pin is no job (pin.lua).
local leased = math.max(redis.call('ZCARD', leases) - (redis.call('ZSCORE', leases, PIN) and 1 or 0),
	redis.call('HLEN', owners) - redis.call('HEXISTS', owners, PIN))
return { redis.call('LLEN', ready), redis.call('ZCARD', scheduled), leased,
	redis.call('ZCARD', dead), age, redis.call('ZCOUNT', consumers, '(' .. now, '+inf'),
	tonumber(redis.call('GET', succeeded) or '0') }
