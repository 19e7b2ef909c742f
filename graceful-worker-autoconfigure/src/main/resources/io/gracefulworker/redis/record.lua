-- Reads a job's record in either layout (RedisJobRecords): a JSON object, or a compact record,
-- which a new job has when graceful-worker.enqueue.record-layout is compact: '\31' before each
-- of name, args, maxAttempts, enqueuedAt (epoch ms in base 36), idem, bean and tp, absent ones
-- empty and trailing ones left out; or a succeeded job's compact outcome, behind two marks:
-- name, attempt, maxAttempts, enqueuedAt, startedAt, finishedAt (the times in base 36), worker,
-- idem. Returns what pcall(cjson.decode, raw) returns: whether the
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
	local outcome = string.byte(raw, 2) == 31
	local fields, start, count = {}, outcome and 3 or 2, outcome and 8 or 7
	while #fields < count do
		local stop = string.find(raw, '\31', start, true)
		fields[#fields + 1] = string.sub(raw, start, (stop or 0) - 1)
		if not stop then
			break
		end
		start = stop + 1
	end
	if outcome then
		local job = { state = 'succeeded', name = fields[1], attempt = tonumber(fields[2] or ''),
			maxAttempts = tonumber(fields[3] or ''), startedAt = tonumber(fields[5] or '', 36),
			finishedAt = tonumber(fields[6] or '', 36), worker = fields[7] }
		job.enqueuedAt = tonumber(fields[4] or '', 36)
		if job.enqueuedAt == 0 then
			job.enqueuedAt = nil
		end
		if fields[8] and fields[8] ~= '' then
			job.idem = fields[8]
		end
		return true, job
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

