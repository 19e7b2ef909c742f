-- Declares cron schedules of one queue for a worker. A new or changed schedule is stored and
-- starts at the first tick given; an unchanged one keeps its next tick. The worker is added to
-- each schedule's declarers with the time (a worker declares again every so often); a schedule
-- whose declarers are all gone from the fleet and silent is removed by the prune.
-- ARGV: worker id, then three per schedule: job name, definition (JSON), first tick (epoch ms,
-- '' if it never fires).
local recurring, ticks, declarers = KEYS[1], KEYS[2], KEYS[3]
local worker = ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

for i = 2, #ARGV, 3 do
	local job, definition, first = ARGV[i], ARGV[i + 1], ARGV[i + 2]
	if redis.call('HGET', recurring, job) ~= definition then
		redis.call('HSET', recurring, job, definition)
		if first == '' then
			redis.call('ZREM', ticks, job)
		else
			redis.call('ZADD', ticks, first, job)
		end
	end
	local raw = redis.call('HGET', declarers, job)
	local by = raw and cjson.decode(raw) or {}
	by[worker] = now
	redis.call('HSET', declarers, job, cjson.encode(by))
end
return 1
