-- Stores jobs of one queue in one step: each ready, or scheduled when due later; a job whose
-- idempotency key names a stored job is not stored again.
-- ARGV: channel, queue, then 'plain' and two per job, id and record, when every job is ready now
-- without an idempotency key (most batches: stored as given, and nothing returned); else
-- 'options' and three per job: id, record, and '' for a job ready now without an idempotency
-- key, else 'run_at:delay:key' (run_at in epoch ms, 0 for none; delay in ms; key possibly
-- empty), returning the id stored for each job, in order.
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
-- Another batch's options, its keys, the keys it names (each that names a stored job, with that
-- job's id) and the keys it writes.
local run_ats, delays, keys, known, claimed_keys, key_pairs
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
	run_ats, delays, keys, known, claimed_keys, key_pairs = {}, {}, {}, {}, {}, {}
	local lookups = {}
	for i = 4, #ARGV, 3 do
		local options = ARGV[i + 2]
		if string.find(options, '0:0:', 1, true) == 1 then
			-- A key alone, as most options are: no pattern to match, no number to read.
			keys[i] = string.sub(options, 5)
		elseif options ~= '' then
			local r, d, k = string.match(options, '^(-?%d+):(-?%d+):(.*)$')
			run_ats[i], delays[i], keys[i] = tonumber(r), tonumber(d), k
		end
		if keys[i] and keys[i] ~= '' then
			lookups[#lookups + 1] = keys[i]
		end
	end
	if #lookups > 0 then
		local found = redis.call('HMGET', idempotency, unpack(lookups))
		for j, key in ipairs(lookups) do
			if found[j] and redis.call('HEXISTS', jobs, found[j]) == 1 then
				known[key] = found[j]
			end
		end
	end
end
for i = 4, plain and 0 or #ARGV, 3 do
	local id, record = ARGV[i], ARGV[i + 1]
	local run_at, delay, key = run_ats[i] or 0, delays[i] or 0, keys[i] or ''
	local existing = nil
	if key ~= '' then
		existing = claimed_keys[key] or known[key]
	end
	if existing then
		-- Written all the same, so that a WAIT after this call covers the stored job.
		key_pairs[#key_pairs + 1] = key
		key_pairs[#key_pairs + 1] = existing
		result[#result + 1] = existing
	else
		if key ~= '' then
			claimed_keys[key] = id
			key_pairs[#key_pairs + 1] = key
			key_pairs[#key_pairs + 1] = id
		end
		records[#records + 1] = id
		records[#records + 1] = record
		local due = run_at
		if due == 0 and delay > 0 then
			if not now then
				local time = redis.call('TIME')
				now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			end
			due = now + delay
		end
		if due > 0 then
			due_ids[#due_ids + 1] = due
			due_ids[#due_ids + 1] = id
		else
			ready_ids[#ready_ids + 1] = id
		end
		result[#result + 1] = id
	end
end

if key_pairs and #key_pairs > 0 then
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
