-- Moves due scheduled jobs to ready, then takes up to max ready jobs and leases each one with a
-- fencing token, in one step: a job is always queued or leased. The owners and leases of the
-- whole batch are written with one command each; with leases per worker (ARGV[4] 'per-worker',
-- holders.lua) the batch's lease is its worker's.
-- A worker that takes hand-offs (ARGV[5], 'worker|seq|lease ms') registers when the claim leaves
-- it a slot free, and withdraws when it does not: an enqueue into the empty queue then leases a
-- job to it and publishes it on the worker's own channel (enqueue_batch.lua). ARGV[6] is the
-- registration the worker last made and has not seen taken: when a hand-off took it, the job may
-- still be on its way, so this claim takes one job fewer and says so, and the worker keeps that
-- slot for it.
-- Every job of a claim gets the same token, ARGV[3] with ':1' (hand-offs get ':0'): a job is
-- leased once a claim, so the claim alone tells its leases apart, and the worker of an earlier
-- release, which reads a token as worker:claim:n, reads it too.
-- Returns { ms until the next scheduled job (-1 if none), flags (1: registered, 2: a hand-off is
-- on its way), the token, id1, record1, id2, ... }.
-- Its first write takes ids off ready, so it runs even when Redis is at maxmemory: leases grow
-- memory by at most the worker's concurrency, and the jobs it runs complete and free memory.
local ready, scheduled, leases, owners, jobs, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local cancels, finished, holders, waiting, hand_offs = KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local max, lease_ms, token_prefix, per_worker = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4] == 'per-worker'
local registration, expected, registration_ms = ARGV[5] or '', ARGV[6] or '', tonumber(ARGV[7] or '0')
-- Where the outcome of a job cancelled while it waited is indexed (outcomes.lua).
local outcome_layout, outcomes = ARGV[8] or 'sorted-set', KEYS[12]
-- A batch's ids are unpacked into single commands, and Lua's stack holds a few thousand values:
-- a larger claim takes the first thousand, and the caller claims again.
max = math.min(max, 1000)

-- Whether a string holds ASCII bytes only: one anchored match, whose repetition tests each byte
-- in a tight loop, the range before the zero byte's class so that most bytes match on the first
-- test. An unanchored search for a byte beyond ASCII, which starts a match at each byte, was 8%
-- of a claim and completion's Redis instructions (callgrind); this takes about a third of its time.
local function ascii(s)
	return string.find(s, '^[\1-\127%z]*$') ~= nil
end

-- An id that is not UTF-8 cannot be named again by a client that decodes it (its completion
-- would always be refused), so it goes to the dead set at once.
local function valid_utf8(s)
	if ascii(s) then
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

-- The earliest scheduled job first: when nothing is due, one command instead of a range query.
local function next_due()
	local first = redis.call('ZRANGE', scheduled, 0, 0, 'WITHSCORES')
	return first[2] and tonumber(first[2]) or nil
end

local earliest = next_due()
if earliest and earliest <= now then
	local due = redis.call('ZRANGEBYSCORE', scheduled, '-inf', now, 'LIMIT', 0, 1000)
	-- The due jobs are the set's first by rank: removed by rank, without naming each again.
	redis.call('ZREMRANGEBYRANK', scheduled, 0, #due - 1)
	redis.call('RPUSH', ready, unpack(due))
	earliest = next_due()
end

local token = token_prefix .. ':1'
local result = { -1, 0, token }
if earliest then
	result[1] = math.max(0, earliest - now)
end
-- Only the registration the worker holds pending can be live or taken: a claim without one (as
-- every claim under load is) reads nothing of the hand-offs.
if expected ~= '' then
	local worker = string.match(expected, '^(.*)|%d+|%d+$')
	local taken = redis.call('HGET', hand_offs, worker)
	if taken then
		redis.call('HDEL', hand_offs, worker)
	end
	if taken == expected then
		max = max - 1
		result[2] = 2
	end
end
local ids = false
if max > 0 then
	ids = redis.call('LPOP', ready, max)
end
if registration ~= '' and max > 0 and (not ids or #ids < max) then
	redis.call('SET', waiting, registration, 'PX', registration_ms)
	result[2] = result[2] + 1
elseif expected ~= '' and redis.call('GET', waiting) == expected then
	redis.call('DEL', waiting)
end
if not ids then
	return result
end
-- The record is read as stored, never rewritten here: the worker counts the attempt from it.
local records = redis.call('HMGET', jobs, unpack(ids))
-- The batch's owners, after whether the owners hash holds the pin (pin.lua).
local owned = redis.call('HMGET', owners, PIN, unpack(ids))
local has_pin = owned[1] ~= false
-- A job cancelled while it ran and given back since (a failure, a drain, a dead worker) ends
-- here. Most claims find no request at all, so the batch is looked up only when there is one.
local cancelled = {}
if redis.call('HLEN', cancels) > 0 then
	cancelled = redis.call('HMGET', cancels, unpack(ids))
end
-- Appended through counters: Lua's length operator searches the table on every append. The
-- leases' pairs are built only where they are written. Fresh counts the jobs taken that had no
-- owner, taken_over those that had one.
local owner_pairs, lease_pairs, o, r = {}, not per_worker and {} or nil, 0, #result
local fresh, taken_over = 0, 0
-- Numbers are written as strings once a claim: Lua hands Redis a number through printf's %.17g,
-- which a profile of Redis put at 8% of a worker's script instructions.
local lease_until = string.format('%d', now + lease_ms)
-- Ids are checked byte by byte only when the batch holds a byte beyond ASCII: most never do.
local any_multibyte = not ascii(table.concat(ids))
for i, id in ipairs(ids) do
	local raw = records[i]
	if any_multibyte and not valid_utf8(id) then
		redis.call('HSET', jobs, id, cjson.encode({ raw = raw or nil, error = { reason = 'invalid-id',
			message = 'The job id is not UTF-8, so no worker could complete it', at = now } }))
		redis.call('ZADD', dead, now, id)
	elseif not raw then
		redis.call('HSET', jobs, id, cjson.encode({ id = id, error = { reason = 'missing',
			message = 'No job data for this id', at = now } }))
		redis.call('ZADD', dead, now, id)
	elseif owned[i + 1] and (redis.call('ZSCORE', leases, id)
			or redis.call('HEXISTS', holders, worker_of(owned[i + 1])) == 1) then
		-- The same id was on ready twice: the job is leased already, so this copy is dropped.
	elseif cancelled[i] then
		local ok, job = decode_record(raw)
		if not ok or type(job) ~= 'table' then
			job = {}
		end
		job.args = nil
		job.checkpoint = nil
		job.state = 'cancelled'
		job.finishedAt = now
		redis.call('HSET', jobs, id, cjson.encode(job))
		index_outcome(outcome_layout, finished, outcomes, now, id)
		redis.call('HDEL', cancels, id)
	else
		-- An owner left without a lease of its own or of its worker's is taken over.
		if owned[i + 1] then
			taken_over = taken_over + 1
		else
			fresh = fresh + 1
		end
		owner_pairs[o + 1] = id
		owner_pairs[o + 2] = token
		if lease_pairs then
			lease_pairs[o + 1] = lease_until
			lease_pairs[o + 2] = id
		end
		o = o + 2
		result[r + 1] = id
		result[r + 2] = raw
		r = r + 2
	end
end
if o > 0 then
	-- The pin first: Redis converts the hash and set before it adds the batch (pin.lua). The
	-- hash's length is asked only while it has none, and the count of new owners, less the pin,
	-- tells whether an id came twice in the batch: each command saved counts most in the small
	-- claims of a worker that keeps up.
	local pinned = has_pin or redis.call('HLEN', owners) + o / 2 >= PIN_FROM
	local added
	if pinned and not has_pin then
		added = redis.call('HSET', owners, PIN, '-', unpack(owner_pairs)) - 1
	else
		added = redis.call('HSET', owners, unpack(owner_pairs))
	end
	if added < fresh or taken_over > 0 then
		-- An id on ready twice in this batch: both copies got the same token and lease, and the
		-- second is dropped here. Looked for only then: a table of the batch's ids cost each job
		-- of every claim about 700 Redis instructions (callgrind).
		local seen, kept = {}, { result[1], result[2], result[3] }
		for k = 4, r, 2 do
			if not seen[result[k]] then
				seen[result[k]] = true
				kept[#kept + 1] = result[k]
				kept[#kept + 1] = result[k + 1]
			end
		end
		result = kept
	end
	if per_worker then
		redis.call('HSET', holders, worker_of(token), lease_until)
	elseif pinned then
		redis.call('ZADD', leases, '+inf', PIN, unpack(lease_pairs))
	else
		redis.call('ZADD', leases, unpack(lease_pairs))
	end
end
return result
