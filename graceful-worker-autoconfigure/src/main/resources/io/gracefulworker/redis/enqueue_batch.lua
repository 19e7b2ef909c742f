-- Stores jobs of one queue in one step: each ready, or scheduled when due later; a job whose
-- idempotency key names a stored job is not stored again.
-- ARGV: channel, queue, then three per job: id, record, and '' for a job ready now without an
-- idempotency key, else 'run_at:delay:key' (run_at in epoch ms, 0 for none; delay in ms; key
-- possibly empty): most jobs are plain, and each argument costs both ends. Returns the id stored
-- for each job, in order.
-- Its first write adds to a hash, so Redis refuses the whole script, storing nothing, when it is
-- at maxmemory.
local ready, scheduled, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channel, queue = ARGV[1], ARGV[2]

-- Redis's clock is read only for a job due later; records carry the client's enqueue time.
local now = nil

local result, records, ready_ids, due_ids, claimed_keys = {}, {}, {}, {}, {}
for i = 3, #ARGV, 3 do
	local id, record, options = ARGV[i], ARGV[i + 1], ARGV[i + 2]
	local run_at, delay, key = 0, 0, ''
	if options ~= '' then
		local r, d, k = string.match(options, '^(-?%d+):(-?%d+):(.*)$')
		run_at, delay, key = tonumber(r), tonumber(d), k
	end
	local existing = nil
	if key ~= '' then
		existing = claimed_keys[key]
		if not existing then
			local stored = redis.call('HGET', idempotency, key)
			if stored and redis.call('HEXISTS', jobs, stored) == 1 then
				existing = stored
			end
		end
	end
	if existing then
		-- A write all the same, so that a WAIT after this call covers the stored job.
		redis.call('HSET', idempotency, key, existing)
		result[#result + 1] = existing
	else
		if key ~= '' then
			claimed_keys[key] = id
			redis.call('HSET', idempotency, key, id)
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

if #records > 0 then
	redis.call('HSET', jobs, unpack(records))
end
local wake = #due_ids > 0
if #due_ids > 0 then
	redis.call('ZADD', scheduled, unpack(due_ids))
end
if #ready_ids > 0 and redis.call('RPUSH', ready, unpack(ready_ids)) == #ready_ids then
	wake = true
end
if wake then
	redis.call('PUBLISH', channel, queue)
end
return result
