-- Reads a page of the dead set, newest first: scans at most `scan` entries from rank `start`
-- (0 is the newest) and returns those whose job name and error reason match ('' matches any),
-- at most `want`, with their records unless `ids_only` is '1'.
-- Returns { next rank to scan (-1 at the end), id1, time1, record1, ... }.
local dead, jobs = KEYS[1], KEYS[2]
local start, scan, name, reason, want = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local ids_only = ARGV[6] == '1'

local result = { -1 }
local entries = redis.call('ZREVRANGE', dead, start, start + scan - 1, 'WITHSCORES')
if #entries == 0 then
	return result
end
local ids = {}
for i = 1, #entries, 2 do
	ids[#ids + 1] = entries[i]
end
local records = redis.call('HMGET', jobs, unpack(ids))
local found = 0
for n, id in ipairs(ids) do
	local raw = records[n] or ''
	local match = true
	if name ~= '' or reason ~= '' then
		local ok, job = decode_record(raw)
		if not ok or type(job) ~= 'table' then
			job = {}
		end
		local error = (type(job.error) == 'table') and job.error or {}
		match = (name == '' or job.name == name) and (reason == '' or error.reason == reason)
	end
	if match then
		if found == want then
			result[1] = start + n - 1
			return result
		end
		found = found + 1
		result[#result + 1] = id
		result[#result + 1] = entries[n * 2]
		result[#result + 1] = ids_only and '' or raw
	end
end
if #ids == scan then
	result[1] = start + scan
end
return result
