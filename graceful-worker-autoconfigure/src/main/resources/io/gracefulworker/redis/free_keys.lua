-- Frees idempotency keys of jobs about to be removed, each only while it still names its job:
-- read in one command and removed in one, where a command a key cost Redis more than the job's
-- own removal.
-- Put before each script that calls free_held or free_keys, after record.lua.

-- Frees the keys `held`, each held by the job of the same index in `held_by`.
local function free_held(idempotency, held, held_by)
	if #held == 0 then
		return
	end
	local named = redis.call('HMGET', idempotency, unpack(held))
	local freed = {}
	for j = 1, #held do
		if named[j] == held_by[j] then
			freed[#freed + 1] = held[j]
		end
	end
	if #freed > 0 then
		redis.call('HDEL', idempotency, unpack(freed))
		unpin_hash(idempotency)
	end
end

-- Frees the keys the records of the jobs `ids` hold. The records are read only when the queue
-- has a key at all.
local function free_keys(idempotency, jobs, ids)
	if redis.call('HLEN', idempotency) == 0 then
		return
	end
	local records = redis.call('HMGET', jobs, unpack(ids))
	local held, held_by = {}, {}
	for i, id in ipairs(ids) do
		local raw = records[i]
		if raw and (is_compact_record(raw) or string.find(raw, '"idem"', 1, true)) then
			local ok, job = decode_record(raw)
			if ok and type(job) == 'table' and type(job.idem) == 'string' then
				held[#held + 1] = job.idem
				held_by[#held] = id
			end
		end
	end
	free_held(idempotency, held, held_by)
end
