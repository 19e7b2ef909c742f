-- Moves jobs whose lease expired (their worker died), whose worker's lease lapsed (holders.lua),
-- or that are leased to no owner, back to the front of ready; a job recovered more than max
-- times goes to the dead set as a poison pill. A scheduled job that can never be due (score +inf)
-- goes to the dead set too, and the hand-off markers of workers gone from the queue's consumers
-- are removed. A pass takes back at most limit jobs and reads at most SCAN_PAGES pages of the
-- owners hash, however many jobs run.
-- Returns { recovered, dead }.
local leases, owners, jobs, ready, dead, scheduled = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local holders, consumers, hand_offs, round_key = KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local max_recoveries, limit, channel, queue = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
-- Entries of the owners hash a page (HSCAN's COUNT, a hint), and pages a pass.
local SCAN_COUNT, SCAN_PAGES = 1000, 5

-- The job's record, or one that keeps what is stored when it is not a JSON object.
local function load(id)
	local raw = redis.call('HGET', jobs, id)
	local ok, job = decode_record(raw or '')
	if not ok or type(job) ~= 'table' then
		job = { id = id, raw = raw }
	end
	return job
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit)
local leased = redis.call('ZRANGE', leases, 0, limit - 1)
if #leased > 0 then
	local owned = redis.call('HMGET', owners, unpack(leased))
	for n, id in ipairs(leased) do
		if not owned[n] and redis.call('ZSCORE', leases, id) + 0 > now then
			expired[#expired + 1] = id
		end
	end
end
-- The owners are read only when a worker's lease lapsed, a page at a time (HSCAN), from where
-- the last pass stopped: a pass over a queue with 100,000 running jobs read them all and blocked
-- Redis for 150 ms. A round over the whole hash may therefore span passes; the round key keeps
-- its cursor and the workers that had lapsed when it began, each with its lease as it was then.
-- Such a worker is forgotten when the round ends, if its lease is still that one: every job it
-- owned has been seen and taken back, and a worker that came back (a claim or heartbeat renews
-- its lease) is kept. A page in which the pass reached its limit is read again by the next pass,
-- so no job is left behind in a round.
local lapsed, any_lapsed = {}, false
if redis.call('HLEN', holders) > 0 then
	local entries = redis.call('HGETALL', holders)
	for i = 1, #entries, 2 do
		local until_ms = tonumber(entries[i + 1])
		if not until_ms or until_ms <= now then
			lapsed[entries[i]] = entries[i + 1]
			any_lapsed = true
		end
	end
end
if any_lapsed then
	local cursor, round = '0', {}
	local state = redis.call('HGETALL', round_key)
	for i = 1, #state, 2 do
		if state[i] == 'cursor' then
			cursor = state[i + 1]
		elseif string.sub(state[i], 1, 7) == 'lapsed:' then
			round[string.sub(state[i], 8)] = state[i + 1]
		end
	end
	if cursor == '0' then
		round = lapsed
	end
	-- An id a page holds twice (HSCAN may return an entry again while Redis rehashes) is taken
	-- once. The ids taken above have a lease of their own, or no owner, so no page holds them.
	local taken = {}
	local pages, full, ended = 0, false, false
	repeat
		local page = redis.call('HSCAN', owners, cursor, 'COUNT', SCAN_COUNT)
		local owned = page[2]
		for i = 1, #owned, 2 do
			local id = owned[i]
			if id ~= PIN and not taken[id] and lapsed[worker_of(owned[i + 1])] and not redis.call('ZSCORE', leases, id) then
				if #expired < limit then
					expired[#expired + 1] = id
					taken[id] = true
				else
					full = true
					break
				end
			end
		end
		pages = pages + 1
		if not full then
			cursor = page[1]
			ended = cursor == '0'
		end
	until full or ended or pages >= SCAN_PAGES
	if ended then
		for worker, until_ms in pairs(round) do
			if redis.call('HGET', holders, worker) == until_ms then
				redis.call('HDEL', holders, worker)
			end
		end
		redis.call('DEL', round_key)
	-- A pass full on its round's first page keeps nothing: the next begins the round again.
	elseif cursor ~= '0' then
		local fields = { 'cursor', cursor }
		for worker, until_ms in pairs(round) do
			fields[#fields + 1] = 'lapsed:' .. worker
			fields[#fields + 1] = until_ms
		end
		-- The DEL first, a write that adds no memory: at maxmemory Redis refuses a script's first
		-- write only when it may add memory, and the pass must still take back its jobs.
		redis.call('DEL', round_key)
		redis.call('HSET', round_key, unpack(fields))
		-- A round nobody continues (no worker lapses again) is of no use to the next one.
		redis.call('PEXPIRE', round_key, 600000)
	end
end
local recovered, poisoned = 0, 0
for _, id in ipairs(expired) do
	redis.call('ZREM', leases, id)
	redis.call('HDEL', owners, id)
	local job = load(id)
	-- The attempt lost with its worker counts.
	job.attempt = (tonumber(job.attempt) or 0) + 1
	job.recoveries = (tonumber(job.recoveries) or 0) + 1
	job.recoveredAt = now
	if job.recoveries > max_recoveries then
		job.error = { reason = 'poison', at = now, message = 'Lease expired ' .. job.recoveries ..
			' times: the job may crash or hang its worker' }
		job.deadAt = now
		redis.call('ZADD', dead, now, id)
		poisoned = poisoned + 1
	else
		redis.call('LPUSH', ready, id)
		recovered = recovered + 1
	end
	redis.call('HSET', jobs, id, cjson.encode(job))
end
if #expired > 0 then
	unpin(owners, leases)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', scheduled, '+inf', '+inf', 'LIMIT', 0, limit)) do
	redis.call('ZREM', scheduled, id)
	local job = load(id)
	job.error = { reason = 'never-due', at = now, message = 'The job was scheduled at +inf, so it could never run' }
	job.deadAt = now
	redis.call('HSET', jobs, id, cjson.encode(job))
	redis.call('ZADD', dead, now, id)
	poisoned = poisoned + 1
end
-- A hand-off's marker waits for its worker's next claim (claim.lua); the marker of a worker that
-- no longer consumes the queue (it stopped or died in between) would stay for good.
if redis.call('HLEN', hand_offs) > 0 then
	for _, worker in ipairs(redis.call('HKEYS', hand_offs)) do
		local until_ms = redis.call('ZSCORE', consumers, worker)
		if not until_ms or tonumber(until_ms) <= now then
			redis.call('HDEL', hand_offs, worker)
		end
	end
end
if recovered > 0 then
	redis.call('PUBLISH', channel, queue)
end
return { recovered, poisoned }
