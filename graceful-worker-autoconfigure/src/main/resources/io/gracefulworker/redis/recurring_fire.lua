-- Fires due ticks of one queue's schedules. A schedule is claimed only if its stored tick is still
-- the one the caller read, so each tick fires once whichever workers try. For a claimed schedule
-- each job is stored and made ready (unless the schedule skips overlaps and its previous job is
-- still stored and has not ended), and the next tick is stored.
-- ARGV: channel, queue, then per schedule: job name, tick read (ms), next tick (ms, '' to end),
-- ticks skipped as missed, '1' to skip overlaps, number of jobs, then three per job: id, record,
-- tick (ms). Returns four per schedule: job name, 1 if claimed, jobs fired, ticks overlapping.
local ready, jobs, ticks, state, finished, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local channel, queue = ARGV[1], ARGV[2]

local result, ready_ids = {}, {}
local i = 3
while i <= #ARGV do
	local job, expected, next_tick = ARGV[i], ARGV[i + 1], ARGV[i + 2]
	local skipped, skip_overlap, count = tonumber(ARGV[i + 3]), ARGV[i + 4] == '1', tonumber(ARGV[i + 5])
	i = i + 6
	local stored = redis.call('ZSCORE', ticks, job)
	local claimed = stored and tonumber(stored) == tonumber(expected)
	local fired, overlapping, last_id = 0, 0, nil
	if claimed then
		local last, last_tick = nil, nil
		if skip_overlap then
			last = redis.call('HGET', state, job .. '|lastJob')
		end
		for n = 1, count do
			local id, record, tick = ARGV[i], ARGV[i + 1], ARGV[i + 2]
			i = i + 3
			local last_record = last and redis.call('HGET', jobs, last)
			if last_record and not redis.call('ZSCORE', finished, last) and not redis.call('ZSCORE', dead, last)
				and not outcome_ended_at(last_record) then
				overlapping = overlapping + 1
			elseif redis.call('HSETNX', jobs, id, record) == 1 then
				ready_ids[#ready_ids + 1] = id
				fired = fired + 1
				if skip_overlap then
					last = id
				end
				last_id, last_tick = id, tick
			end
		end
		if last_id then
			redis.call('HSET', state, job .. '|lastJob', last_id, job .. '|lastTick', last_tick)
		end
		if next_tick == '' then
			redis.call('ZREM', ticks, job)
		else
			redis.call('ZADD', ticks, next_tick, job)
		end
		if fired > 0 then
			redis.call('HINCRBY', state, job .. '|fires', fired)
		end
		if skipped > 0 then
			redis.call('HINCRBY', state, job .. '|missed', skipped)
		end
		if overlapping > 0 then
			redis.call('HINCRBY', state, job .. '|overlap', overlapping)
		end
	else
		i = i + 3 * count
	end
	result[#result + 1] = job
	result[#result + 1] = claimed and 1 or 0
	result[#result + 1] = fired
	result[#result + 1] = overlapping
end
if #ready_ids > 0 then
	redis.call('RPUSH', ready, unpack(ready_ids))
	redis.call('PUBLISH', channel, queue)
end
return result
