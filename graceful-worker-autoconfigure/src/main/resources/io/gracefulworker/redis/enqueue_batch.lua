-- Stores jobs of one queue in one step: each ready, or scheduled when due later; a job whose
-- idempotency key names a stored job is not stored again.
-- ARGV: channel, queue, then 'plain' and two per job, id and record, when every job is ready now
-- without an idempotency key (most batches: stored as given, and nothing returned); else
-- 'options' and three per job: id, record, and '' for a job ready now without an idempotency
-- key, else 'run_at:delay:key' (run_at in epoch ms, 0 for none; delay in ms; key possibly
-- empty); or 'keys' and three per job, id, record and idempotency key ('' for none), when every
-- job is ready now and one has a key. Both return the id stored for each job, in order.
-- A job ready now in an empty queue goes to the worker registered as waiting for one (claim.lua)
-- when there is one: leased to it as a claim would (its token 'worker:seq:0', claims count from
-- 1) and published on its own channel ('<channel>:<worker>': lengths and queue, id, token, then
-- the record); when nobody listens there, it goes to ready as any other.
-- Its first write adds to a hash, so Redis refuses the whole script, storing nothing, when it is
-- at maxmemory.
local ready, scheduled, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local waiting, owners, leases, hand_offs = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local channel, queue, plain = ARGV[1], ARGV[2], ARGV[3] == 'plain'

-- Redis's clock is read only for a job due later; records carry the client's enqueue time.
local now = nil

local result, records, ready_ids, due_ids = {}, {}, {}, {}
-- The id and record pairs to store, from this index on.
local stored, from = records, 1
-- Appended through counters: Lua's length operator searches the table on every append.
local n_records, n_ready, n_due, n_keys = 0, 0, 0, 0
-- Another batch's options and keys by job number (the 'keys' batch sends each key as it is),
-- the keys it names (each that names a stored job, or a job earlier in the batch, with that
-- job's id) and the key and id pairs it writes.
local run_ats, delays, keys, named, key_pairs
local n = plain and 0 or (#ARGV - 3) / 3
if plain then
	-- A plain batch goes to Redis as it came: each argument turned into a Lua table entry costs
	-- Redis more than the command that stores the job.
	stored, from = ARGV, 4
	for k = 1, (#ARGV - 3) / 2 do
		ready_ids[k] = ARGV[2 + 2 * k]
	end
else
	-- The options first, and the batch's keys read in one command: a command a job cost Redis
	-- more than the job's own writes.
	run_ats, delays, keys, named, key_pairs = {}, {}, {}, {}, {}
	local key_only = ARGV[3] == 'keys'
	local lookups, n_lookups = {}, 0
	for j = 1, n do
		local options = ARGV[3 + 3 * j]
		local key = ''
		if key_only then
			key = options
		elseif string.find(options, '0:0:', 1, true) == 1 then
			-- A key alone, as most options are: no pattern to match, no number to read.
			key = string.sub(options, 5)
		elseif options ~= '' then
			local r, d, k = string.match(options, '^(-?%d+):(-?%d+):(.*)$')
			run_ats[j], delays[j], key = tonumber(r), tonumber(d), k
		end
		keys[j] = key
		if key ~= '' then
			n_lookups = n_lookups + 1
			lookups[n_lookups] = key
		end
	end
	if n_lookups > 0 then
		local found = redis.call('HMGET', idempotency, unpack(lookups))
		for j = 1, n_lookups do
			if found[j] and redis.call('HEXISTS', jobs, found[j]) == 1 then
				named[lookups[j]] = found[j]
			end
		end
	end
end
for j = 1, n do
	local id, record, key = ARGV[1 + 3 * j], ARGV[2 + 3 * j], keys[j]
	local existing = nil
	if key ~= '' then
		existing = named[key]
	end
	if existing then
		-- Written all the same, so that a WAIT after this call covers the stored job.
		key_pairs[n_keys + 1] = key
		key_pairs[n_keys + 2] = existing
		n_keys = n_keys + 2
		result[j] = existing
	else
		if key ~= '' then
			named[key] = id
			key_pairs[n_keys + 1] = key
			key_pairs[n_keys + 2] = id
			n_keys = n_keys + 2
		end
		records[n_records + 1] = id
		records[n_records + 2] = record
		n_records = n_records + 2
		local due = run_ats[j] or 0
		local delay = delays[j] or 0
		if due == 0 and delay > 0 then
			if not now then
				local time = redis.call('TIME')
				now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			end
			due = now + delay
		end
		if due > 0 then
			due_ids[n_due + 1] = due
			due_ids[n_due + 2] = id
			n_due = n_due + 2
		else
			n_ready = n_ready + 1
			ready_ids[n_ready] = id
		end
		result[j] = id
	end
end

if n_keys > 0 then
	hset_pinned(idempotency, key_pairs, 1)
end
if #stored >= from then
	hset_pinned(jobs, stored, from)
end
local wake = #due_ids > 0
if #due_ids > 0 then
	redis.call('ZADD', scheduled, unpack(due_ids))
end
local registration = waiting and #ready_ids > 0 and redis.call('GET', waiting)
if registration and redis.call('LLEN', ready) == 0 then
	redis.call('DEL', waiting)
	local worker, seq, lease_ms = string.match(registration, '^(.*)|(%d+)|(%d+)$')
	if worker then
		local id = ready_ids[1]
		local record = plain and ARGV[5] or nil
		for i = 1, #records, 2 do
			if records[i] == id then
				record = records[i + 1]
				break
			end
		end
		local token = worker .. ':' .. seq .. ':0'
		if not now then
			local time = redis.call('TIME')
			now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
		end
		redis.call('HSET', owners, id, token)
		-- A lease of its own whatever the worker's layout: a job whose message is lost is one its
		-- worker does not know of, and comes back when this lease lapses; the worker's heartbeat
		-- renews it once the job runs (heartbeat.lua).
		redis.call('ZADD', leases, string.format('%d', now + tonumber(lease_ms)), id)
		local message = string.format('%d:%s%d:%s%d:%s', #queue, queue, #id, id, #token, token) .. record
		if redis.call('PUBLISH', channel .. ':' .. worker, message) > 0 then
			redis.call('HSET', hand_offs, worker, registration)
			table.remove(ready_ids, 1)
		else
			redis.call('HDEL', owners, id)
			unpin(owners, leases)
			redis.call('ZREM', leases, id)
		end
	end
end
if #ready_ids > 0 and redis.call('RPUSH', ready, unpack(ready_ids)) == #ready_ids then
	wake = true
end
if wake then
	redis.call('PUBLISH', channel, queue)
end
return result
