-- Reads the schedules of one queue whose next tick is due, on Redis's clock.
-- ARGV[1] is the most to return. Returns { now (ms), earliest tick not due (ms, -1 if none),
-- then three per due schedule: job name, tick (ms), definition (JSON, '' if gone) }.
local ticks, recurring = KEYS[1], KEYS[2]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local due = redis.call('ZRANGEBYSCORE', ticks, '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local pending = redis.call('ZRANGEBYSCORE', ticks, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
local result = { now, tonumber(pending[2] or '-1') }
for i = 1, #due, 2 do
	result[#result + 1] = due[i]
	result[#result + 1] = due[i + 1]
	result[#result + 1] = redis.call('HGET', recurring, due[i]) or ''
end
return result
