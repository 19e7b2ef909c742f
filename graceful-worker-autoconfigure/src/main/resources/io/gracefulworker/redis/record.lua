-- Reads a job's record in either layout (RedisJobRecords): a JSON object, or a compact record,
-- which a new job has when graceful-worker.enqueue.record-layout is compact: '\31' before each
-- of name, args, maxAttempts, enqueuedAt (epoch ms in base 36), idem, bean and tp, absent ones
-- empty and trailing ones left out. Returns what pcall(cjson.decode, raw) returns: whether the
-- record could be read, and its fields. A script that changes a record writes it back with
-- cjson.encode, so a compact record becomes JSON the first time it changes.
-- Put before each script that calls decode_record or is_compact_record.
local function is_compact_record(raw)
	return type(raw) == 'string' and string.byte(raw, 1) == 31
end

local function decode_record(raw)
	if not is_compact_record(raw) then
		return pcall(cjson.decode, raw)
	end
	local fields, start = {}, 2
	while #fields < 7 do
		local stop = string.find(raw, '\31', start, true)
		fields[#fields + 1] = string.sub(raw, start, (stop or 0) - 1)
		if not stop then
			break
		end
		start = stop + 1
	end
	local job = { name = fields[1], args = fields[2] or '', maxAttempts = tonumber(fields[3] or '') }
	job.enqueuedAt = fields[4] and tonumber(fields[4], 36) or nil
	if fields[5] and fields[5] ~= '' then
		job.idem = fields[5]
	end
	if fields[6] and fields[6] ~= '' then
		job.bean = fields[6]
	end
	if fields[7] and fields[7] ~= '' then
		job.tp = fields[7]
	end
	return true, job
end

