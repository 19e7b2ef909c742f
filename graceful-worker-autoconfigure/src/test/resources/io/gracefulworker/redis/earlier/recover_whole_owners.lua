-- recover.lua of the release before paged recovery (commit 28afd21), which read the whole owners
-- hash when a worker's lease lapsed: run beside this release's in a rollout.
-- Moves jobs whose lease expired (their worker died), whose worker's lease lapsed (holders.lua),
-- or that are leased to no owner, back to the front of ready; a job recovered more than max
-- times goes to the dead set as a poison pill. A scheduled job that can never be due (score +inf)
-- goes to the dead set too, and the hand-off markers of workers gone from the queue's consumers
-- are removed.
-- Returns { recovered, dead }.
local leases, owners, jobs, ready, dead, scheduled = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local holders, consumers, hand_offs = KEYS[7], KEYS[8], KEYS[9]
local max_recoveries, limit, channel, queue = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]

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
-- The owners are read only when a worker's lease lapsed; a lapsed worker is forgotten once the
-- pass has taken back all its jobs.
local lapsed, kept = {}, {}
if redis.call('HLEN', holders) > 0 then
	local entries = redis.call('HGETALL', holders)
	for i = 1, #entries, 2 do
		local until_ms = tonumber(entries[i + 1])
		if not until_ms or until_ms <= now then
			lapsed[entries[i]] = true
		end
	end
	if next(lapsed) then
		local owned = redis.call('HGETALL', owners)
		for i = 1, #owned, 2 do
			local id, worker = owned[i], worker_of(owned[i + 1])
			if id ~= PIN and lapsed[worker] and not redis.call('ZSCORE', leases, id) then
				if #expired < limit then
					expired[#expired + 1] = id
				else
					kept[worker] = true
				end
			end
		end
		for worker in pairs(lapsed) do
			if not kept[worker] then
				redis.call('HDEL', holders, worker)
			end
		end
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
