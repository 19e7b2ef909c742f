-- Records finished jobs of one queue, each only while the caller's token owns its lease, and counts
-- them in the queue's succeeded counter.
-- ARGV[1] is how long an outcome is kept (ms; 0 keeps none), ARGV[2] how many a queue keeps at
-- most, then four per job: id, token, idempotency key (or ''), and the outcome record that
-- replaces the job's record while it is kept. The oldest outcomes beyond the count go here, so
-- the count holds at any rate of completions; the trim removes those past their age. A kept job holds its idempotency key until the trim removes it; a cancel requested too
-- late is dropped. Returns the ids refused.
local leases, owners, jobs, idempotency, finished, cancels, succeeded = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
	KEYS[5], KEYS[6], KEYS[7]
local keep, max = tonumber(ARGV[1]) > 0, tonumber(ARGV[2])

local ids = {}
for i = 3, #ARGV, 4 do
	ids[#ids + 1] = ARGV[i]
end
local current = redis.call('HMGET', owners, unpack(ids))

local done, refused, outcomes, times = {}, {}, {}, {}
local now = nil
if keep then
	local time = redis.call('TIME')
	-- A string, written once: Lua hands Redis a number through printf's %.17g, once per job.
	now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
end
for n = 1, #ids do
	local id, token, key, outcome = ARGV[n * 4 - 1], ARGV[n * 4], ARGV[n * 4 + 1], ARGV[n * 4 + 2]
	if current[n] == token then
		done[#done + 1] = id
		if keep then
			outcomes[#outcomes + 1] = id
			outcomes[#outcomes + 1] = outcome
			times[#times + 1] = now
			times[#times + 1] = id
		elseif key ~= '' and redis.call('HGET', idempotency, key) == id then
			redis.call('HDEL', idempotency, key)
		end
	else
		refused[#refused + 1] = id
	end
end
if #done > 0 then
	redis.call('ZREM', leases, unpack(done))
	redis.call('HDEL', owners, unpack(done))
	unpin(owners, leases)
	redis.call('INCRBY', succeeded, #done)
	if redis.call('HLEN', cancels) > 0 then
		redis.call('HDEL', cancels, unpack(done))
	end
	if keep then
		redis.call('HSET', jobs, unpack(outcomes))
		redis.call('ZADD', finished, unpack(times))
		local over = math.min(redis.call('ZCARD', finished) - max, 1000)
		if over > 0 then
			local oldest = redis.call('ZRANGE', finished, 0, over - 1)
			-- As in trim.lua: the records are read only when the queue has idempotency keys.
			if redis.call('HLEN', idempotency) > 0 then
				local records = redis.call('HMGET', jobs, unpack(oldest))
				for i, id in ipairs(oldest) do
					if records[i] and (is_compact_record(records[i]) or string.find(records[i], '"idem"', 1, true)) then
						local ok, job = decode_record(records[i])
						if ok and type(job) == 'table' and type(job.idem) == 'string'
							and redis.call('HGET', idempotency, job.idem) == id then
							redis.call('HDEL', idempotency, job.idem)
						end
					end
				end
			end
			redis.call('ZREM', finished, unpack(oldest))
			redis.call('HDEL', jobs, unpack(oldest))
		end
	else
		redis.call('HDEL', jobs, unpack(done))
	end
end
return refused
