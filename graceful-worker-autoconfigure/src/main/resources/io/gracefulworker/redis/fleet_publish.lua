-- Publishes a worker's fleet entry until it lapses (ms from now), or removes it when the lapse
-- is negative (a clean stop); entries that lapsed are removed, a bounded number per call.
local workers, lapses = KEYS[1], KEYS[2]
local id, entry, lapse = ARGV[1], ARGV[2], tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local gone = redis.call('ZRANGEBYSCORE', lapses, '-inf', now, 'LIMIT', 0, 100)
if #gone > 0 then
	redis.call('ZREM', lapses, unpack(gone))
	redis.call('HDEL', workers, unpack(gone))
end
if lapse < 0 then
	redis.call('ZREM', lapses, id)
	redis.call('HDEL', workers, id)
else
	redis.call('HSET', workers, id, entry)
	redis.call('ZADD', lapses, now + lapse, id)
end
return #gone
