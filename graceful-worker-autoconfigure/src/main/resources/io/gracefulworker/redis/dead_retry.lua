-- Moves dead jobs back to the end of ready with their attempts reset; ids no longer dead are
-- left alone. ARGV: channel, queue, then the ids. Returns how many were moved.
local dead, jobs, ready = KEYS[1], KEYS[2], KEYS[3]
local channel, queue = ARGV[1], ARGV[2]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local moved = 0
for i = 3, #ARGV do
	local id = ARGV[i]
	if redis.call('ZREM', dead, id) == 1 then
		local raw = redis.call('HGET', jobs, id)
		local ok, job = decode_record(raw or '')
		if ok and type(job) == 'table' then
			for _, field in ipairs({ 'attempt', 'error', 'deadAt', 'recoveries', 'recoveredAt', 'retryAt',
				'unknownSince', 'requeues', 'requeueReason', 'requeuedAt' }) do
				job[field] = nil
			end
			job.retries = (tonumber(job.retries) or 0) + 1
			job.retriedAt = now
			redis.call('HSET', jobs, id, cjson.encode(job))
		end
		redis.call('RPUSH', ready, id)
		moved = moved + 1
	end
end
if moved > 0 then
	redis.call('PUBLISH', channel, queue)
end
return moved
