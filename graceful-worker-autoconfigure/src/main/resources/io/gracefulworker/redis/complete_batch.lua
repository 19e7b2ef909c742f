-- Records finished jobs of one queue, each only while the caller's token owns its lease, and counts
-- them in the queue's succeeded counter.
-- ARGV[1] is how long an outcome is kept (ms; 0 keeps none), ARGV[2] how many a queue keeps at
-- most, ARGV[3] the number of jobs n; then n jobs as id and the outcome record that replaces
-- the job's record while it is kept (only the id when none is kept), n tokens, and n idempotency
-- keys ('' for none) when any job has one. The pairs go to Redis as they came when every token
-- owns its job, as almost always: each argument put in a Lua table costs Redis more than the
-- command that stores it. The oldest outcomes beyond the count go here, so the count holds at
-- any rate of completions; the trim removes those past their age. A kept job holds its
-- idempotency key until the trim removes it; a cancel requested too late is dropped. Returns the
-- ids refused.
local leases, owners, jobs, idempotency, finished, cancels, succeeded = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
	KEYS[5], KEYS[6], KEYS[7]
local keep, max, n = tonumber(ARGV[1]) > 0, tonumber(ARGV[2]), tonumber(ARGV[3])
local stride = keep and 2 or 1
local tokens = 3 + stride * n
local keys = tokens + n

local ids = {}
for i = 1, n do
	ids[i] = ARGV[4 + stride * (i - 1)]
end
local current = redis.call('HMGET', owners, unpack(ids))

local function owns(i)
	return current[i] == ARGV[tokens + i]
end
local done, refused = ids, {}
for i = 1, n do
	-- owns(i) written out: the call cost about 450 Redis instructions a job here (callgrind).
	if current[i] ~= ARGV[tokens + i] then
		refused[#refused + 1] = ids[i]
	end
end
if #refused > 0 then
	done = {}
	for i = 1, n do
		if owns(i) then
			done[#done + 1] = ids[i]
		end
	end
end
local now = nil
if keep then
	local time = redis.call('TIME')
	-- A string, written once: Lua hands Redis a number through printf's %.17g, once per job.
	now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
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
		local times = {}
		for i, id in ipairs(done) do
			times[2 * i - 1] = now
			times[2 * i] = id
		end
		if #refused == 0 then
			redis.call('HSET', jobs, unpack(ARGV, 4, tokens))
		else
			local outcomes = {}
			for i = 1, n do
				if owns(i) then
					outcomes[#outcomes + 1] = ids[i]
					outcomes[#outcomes + 1] = ARGV[3 + 2 * i]
				end
			end
			redis.call('HSET', jobs, unpack(outcomes))
		end
		redis.call('ZADD', finished, unpack(times))
		local over = math.min(redis.call('ZCARD', finished) - max, 1000)
		if over > 0 then
			local oldest = redis.call('ZRANGE', finished, 0, over - 1)
			free_keys(idempotency, jobs, oldest)
			-- The oldest are the set's first by rank: removed by rank, without naming each again.
			redis.call('ZREMRANGEBYRANK', finished, 0, #oldest - 1)
			redis.call('HDEL', jobs, unpack(oldest))
			unpin_hash(jobs)
		end
	else
		if #ARGV > keys then
			local held, held_by = {}, {}
			for i = 1, n do
				local key = ARGV[keys + i]
				if key ~= '' and owns(i) then
					held[#held + 1] = key
					held_by[#held] = ids[i]
				end
			end
			free_held(idempotency, held, held_by)
		end
		redis.call('HDEL', jobs, unpack(done))
		unpin_hash(jobs)
	end
end
return refused
