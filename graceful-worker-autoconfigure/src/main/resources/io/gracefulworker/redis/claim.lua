-- Moves due scheduled jobs to ready, then takes up to max ready jobs and leases each one with a
-- fencing token, in one step: a job is always queued or leased.
-- Returns { ms until the next scheduled job (-1 if none), id1, token1, record1, id2, ... }.
-- Its first write takes ids off ready, so it runs even when Redis is at maxmemory: leases grow
-- memory by at most the worker's concurrency, and the jobs it runs complete and free memory.
local ready, scheduled, leases, owners, jobs, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local max, lease_ms, token_prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]

-- An id that is not UTF-8 cannot be named again by a client that decodes it (its completion
-- would always be refused), so it goes to the dead set at once.
local function valid_utf8(s)
	if not string.find(s, '[\128-\255]') then
		return true
	end
	local i, n = 1, #s
	while i <= n do
		local c = s:byte(i)
		local size, low, high = 0, 0x80, 0xBF
		if c < 0x80 then
			size = 1
		elseif c >= 0xC2 and c <= 0xDF then
			size = 2
		elseif c >= 0xE0 and c <= 0xEF then
			size = 3
			if c == 0xE0 then low = 0xA0 elseif c == 0xED then high = 0x9F end
		elseif c >= 0xF0 and c <= 0xF4 then
			size = 4
			if c == 0xF0 then low = 0x90 elseif c == 0xF4 then high = 0x8F end
		else
			return false
		end
		for k = 1, size - 1 do
			local b = s:byte(i + k)
			if not b or b < ((k == 1) and low or 0x80) or b > ((k == 1) and high or 0xBF) then
				return false
			end
		end
		i = i + size
	end
	return true
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local due = redis.call('ZRANGEBYSCORE', scheduled, '-inf', now, 'LIMIT', 0, 1000)
if #due > 0 then
	redis.call('ZREM', scheduled, unpack(due))
	redis.call('RPUSH', ready, unpack(due))
end

local result = { -1 }
local ids = redis.call('LPOP', ready, max)
if ids then
	for i, id in ipairs(ids) do
		local raw = redis.call('HGET', jobs, id)
		local ok, job = false, nil
		if raw then
			ok, job = pcall(cjson.decode, raw)
		end
		local token = token_prefix .. ':' .. i
		if not valid_utf8(id) then
			redis.call('HSET', jobs, id, cjson.encode({ raw = raw, error = { reason = 'invalid-id',
				message = 'The job id is not UTF-8, so no worker could complete it', at = now } }))
			redis.call('ZADD', dead, now, id)
		elseif not raw then
			redis.call('HSET', jobs, id, cjson.encode({ id = id, error = { reason = 'missing',
				message = 'No job data for this id', at = now } }))
			redis.call('ZADD', dead, now, id)
		elseif not ok or type(job) ~= 'table' then
			redis.call('HSET', jobs, id, cjson.encode({ id = id, raw = raw, error = { reason = 'unreadable',
				message = 'Job data is not a JSON object', at = now } }))
			redis.call('ZADD', dead, now, id)
		else
			local owned = redis.call('HSETNX', owners, id, token) == 1
			if not owned and redis.call('ZSCORE', leases, id) then
				-- The same id was on ready twice: the job is leased already, so this copy is dropped.
			else
				if not owned then
					-- An owner left without a lease (never written so by these scripts) is taken over.
					redis.call('HSET', owners, id, token)
				end
				job.attempt = (tonumber(job.attempt) or 0) + 1
				job.claimedAt = now
				local encoded = cjson.encode(job)
				redis.call('HSET', jobs, id, encoded)
				redis.call('ZADD', leases, now + lease_ms, id)
				result[#result + 1] = id
				result[#result + 1] = token
				result[#result + 1] = encoded
			end
		end
	end
end

local next_due = redis.call('ZRANGE', scheduled, 0, 0, 'WITHSCORES')
if next_due[2] then
	result[1] = math.max(0, tonumber(next_due[2]) - now)
end
return result
