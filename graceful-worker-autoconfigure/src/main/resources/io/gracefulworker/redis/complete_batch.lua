-- Records finished jobs of one queue, each only while the caller's token owns its lease, and counts
-- them in the queue's succeeded counter.
-- ARGV[1] is where outcomes are kept: 'none', or the index of their ids, 'list' or 'sorted-set'
-- (outcomes.lua); ARGV[2] how many a queue keeps at most, ARGV[3] the number of jobs n; then n
-- jobs as id and the outcome record that replaces the job's record while it is kept (only the
-- id when none is kept); then the tokens as runs:
-- their number, and for each run how many jobs in a row hold its token and the token (a claim's
-- jobs share one, claim.lua); then n idempotency keys ('' for none) when any job has one. The
-- pairs go to Redis as they came when every token owns its job, as almost always: each argument
-- put in a Lua table costs Redis more than the command that stores it. The oldest outcomes
-- beyond the count go here, so the count holds at any rate of completions (each index's, while
-- both hold some); the trim removes those past their age. A kept job holds its idempotency key
-- until the trim removes it; a cancel requested too late is dropped. Returns the ids refused.
local leases, owners, jobs, idempotency, finished, cancels, succeeded = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
	KEYS[5], KEYS[6], KEYS[7]
local outcomes = KEYS[8]
local layout, max, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local keep = layout ~= 'none'
local runs = 4 + (keep and 2 or 1) * n
local keys = runs + 2 * tonumber(ARGV[runs])

-- Without outcomes the ids are ARGV's own run, named from there: a table of them would cost each
-- job an entry.
local ids, first = ARGV, 4
if keep then
	ids, first = {}, 1
	for i = 1, n do
		ids[i] = ARGV[2 + 2 * i]
	end
end
-- The id of the batch's i-th job.
local function id_of(i)
	return ids[first + i - 1]
end
local current = redis.call('HMGET', owners, unpack(ids, first, first + n - 1))

-- The jobs done are done[from] to done[to]; refused_at holds the index of each job refused.
local done, from, to, refused, refused_at = ids, first, first + n - 1, {}, {}
local i = 0
for run = runs + 1, keys, 2 do
	local count, token = tonumber(ARGV[run]), ARGV[run + 1]
	for j = i + 1, i + count do
		if current[j] ~= token then
			refused[#refused + 1] = id_of(j)
			refused_at[j] = true
		end
	end
	i = i + count
end
if #refused > 0 then
	done = {}
	for j = 1, n do
		if not refused_at[j] then
			done[#done + 1] = id_of(j)
		end
	end
	from, to = 1, #done
end
local now = nil
if layout == 'sorted-set' then
	local time = redis.call('TIME')
	-- A string, written once: Lua hands Redis a number through printf's %.17g, once per job.
	now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
end
if to >= from then
	-- With leases per worker the leases set holds none of them.
	if redis.call('ZCARD', leases) > 0 then
		redis.call('ZREM', leases, unpack(done, from, to))
	end
	redis.call('HDEL', owners, unpack(done, from, to))
	unpin(owners, leases)
	redis.call('INCRBY', succeeded, to - from + 1)
	if redis.call('HLEN', cancels) > 0 then
		redis.call('HDEL', cancels, unpack(done, from, to))
	end
	if keep then
		if #refused == 0 then
			redis.call('HSET', jobs, unpack(ARGV, 4, runs - 1))
		else
			local outcomes = {}
			for j = 1, n do
				if not refused_at[j] then
					outcomes[#outcomes + 1] = id_of(j)
					outcomes[#outcomes + 1] = ARGV[3 + 2 * j]
				end
			end
			redis.call('HSET', jobs, unpack(outcomes))
		end
		local oldest = nil
		if layout == 'list' then
			-- Appended in the order they ended, so the oldest are at the head, and no time is asked:
			-- the records say when.
			local over = math.min(redis.call('RPUSH', outcomes, unpack(done, from, to)) - max, 1000)
			if over > 0 then
				oldest = redis.call('LPOP', outcomes, over)
			end
		else
			local times = {}
			for j = from, to do
				times[2 * j - 1] = now
				times[2 * j] = done[j]
			end
			redis.call('ZADD', finished, unpack(times))
			local over = math.min(redis.call('ZCARD', finished) - max, 1000)
			if over > 0 then
				oldest = redis.call('ZRANGE', finished, 0, over - 1)
				-- The oldest are the set's first by rank: removed by rank, without naming each again.
				redis.call('ZREMRANGEBYRANK', finished, 0, #oldest - 1)
			end
		end
		if oldest then
			free_keys(idempotency, jobs, oldest)
			redis.call('HDEL', jobs, unpack(oldest))
			unpin_hash(jobs)
		end
	else
		if #ARGV > keys then
			local held, held_by = {}, {}
			for j = 1, n do
				local key = ARGV[keys + j]
				if key ~= '' and not refused_at[j] then
					held[#held + 1] = key
					held_by[#held] = id_of(j)
				end
			end
			free_held(idempotency, held, held_by)
		end
		redis.call('HDEL', jobs, unpack(done, from, to))
		unpin_hash(jobs)
	end
end
return refused
