-- Forgets the declarations of workers that are neither in the fleet nor declared lately, and
-- removes the schedules that no worker declares any more (a schedule declared through the API,
-- by 'api', stays). ARGV: how long a declaration lasts without the fleet (ms), then the live
-- worker ids. Returns the job names of the schedules removed.
local recurring, ticks, declarers, state = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local since = now - tonumber(ARGV[1])
local live = { api = true }
for i = 2, #ARGV do
	live[ARGV[i]] = true
end
local removed = {}
local entries = redis.call('HGETALL', declarers)
for i = 1, #entries, 2 do
	local job, by = entries[i], cjson.decode(entries[i + 1])
	local kept, count, dropped = {}, 0, false
	for id, at in pairs(by) do
		if live[id] or at >= since then
			kept[id] = at
			count = count + 1
		else
			dropped = true
		end
	end
	if count == 0 then
		redis.call('HDEL', recurring, job)
		redis.call('ZREM', ticks, job)
		redis.call('HDEL', declarers, job)
		redis.call('HDEL', state, job .. '|lastJob', job .. '|lastTick', job .. '|fires', job .. '|missed',
			job .. '|overlap')
		removed[#removed + 1] = job
	elseif dropped then
		redis.call('HSET', declarers, job, cjson.encode(kept))
	end
end
return removed
