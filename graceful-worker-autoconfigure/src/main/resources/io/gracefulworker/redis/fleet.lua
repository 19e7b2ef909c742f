-- Returns the entries of the workers whose entry has not lapsed.
local workers, lapses = KEYS[1], KEYS[2]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local live = redis.call('ZRANGEBYSCORE', lapses, '(' .. now, '+inf')
if #live == 0 then
	return {}
end
local entries = redis.call('HMGET', workers, unpack(live))
local result = {}
for i, entry in ipairs(entries) do
	if entry then
		result[#result + 1] = entry
	end
end
return result
