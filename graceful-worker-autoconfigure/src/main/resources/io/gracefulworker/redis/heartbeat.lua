-- Extends the leases that the given tokens of one worker still own: each job's, or with leases
-- per worker (ARGV[2] 'per-worker', holders.lua) the worker's too. With ARGV[2] 'to-per-job' (the
-- AUTO layout once a worker of an earlier build is live) each job the worker still owns gets a
-- lease of its own if it had none, as that worker honours only those, and the worker's lease is
-- extended for as long as it holds one. Returns the ids whose lease was lost.
-- Each lease is removed and added again: Redis refuses a script under maxmemory only at its first
-- write if that write may grow memory, and a heartbeat, which grows nothing, must go through then.
-- A lease already removed by a recovery pass is not written again: its jobs were taken back (a
-- job that lost its lease lost its owner with it).
local leases, owners, holders = KEYS[1], KEYS[2], KEYS[3]
local lease_ms = tonumber(ARGV[1])
local to_per_job = ARGV[2] == 'to-per-job'
local holder = ((ARGV[2] == 'per-worker' or to_per_job) and ARGV[4]) and worker_of(ARGV[4]) or ''

local time = redis.call('TIME')
local lease_until = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + lease_ms)

local lost = {}
for i = 3, #ARGV, 2 do
	local id, token = ARGV[i], ARGV[i + 1]
	if redis.call('HGET', owners, id) == token then
		if redis.call('ZREM', leases, id) == 1 or to_per_job then
			redis.call('ZADD', leases, lease_until, id)
		end
	else
		lost[#lost + 1] = id
	end
end
if holder ~= '' and redis.call('HDEL', holders, holder) == 1 then
	redis.call('HSET', holders, holder, lease_until)
end
return lost
