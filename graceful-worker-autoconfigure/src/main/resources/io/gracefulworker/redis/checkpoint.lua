-- Saves a job's progress, only while the caller's token owns the lease. Returns 1 or 0.
local owners, jobs = KEYS[1], KEYS[2]
local id, token, progress = ARGV[1], ARGV[2], ARGV[3]

if redis.call('HGET', owners, id) ~= token then
	return 0
end
local ok, job = decode_record(redis.call('HGET', jobs, id) or '')
if not ok or type(job) ~= 'table' then
	return 0
end
job.checkpoint = progress
redis.call('HSET', jobs, id, cjson.encode(job))
return 1
