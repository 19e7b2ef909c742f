-- Publishes a worker's fleet entry until it lapses (ms from now), or removes it when the lapse
-- is negative (a clean stop). Entries that lapsed are removed, a bounded number per call; one
-- that lapsed while DRAINING is a drain cut short, and this call alone reports it: it is added
-- to the list of truncated drains (the latest twenty) and returned.
local workers, lapses, truncated = KEYS[1], KEYS[2], KEYS[3]
local id, entry, lapse = ARGV[1], ARGV[2], tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local reports = {}
local gone = redis.call('ZRANGEBYSCORE', lapses, '-inf', now, 'LIMIT', 0, 100)
if #gone > 0 then
	local entries = redis.call('HMGET', workers, unpack(gone))
	for i = 1, #gone do
		local ok, lapsed = pcall(cjson.decode, entries[i] or '')
		if ok and type(lapsed) == 'table' and lapsed.state == 'DRAINING' and lapsed.stopBy then
			lapsed.detectedAt = now
			local report = cjson.encode(lapsed)
			redis.call('LPUSH', truncated, report)
			reports[#reports + 1] = report
		end
	end
	redis.call('LTRIM', truncated, 0, 19)
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
return reports
