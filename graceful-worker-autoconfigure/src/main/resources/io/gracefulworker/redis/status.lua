-- Tells where a job stands. Returns { state, record, score, owner }: state is 'unknown' (no
-- record, and nothing else is returned), 'finished' (succeeded or cancelled, as the record
-- says; score: when), 'dead' (score: when), 'running' (score: its lease's expiry, or its
-- worker's; owner: the lease's token), 'scheduled' (score: when due) or 'ready'.
local jobs, finished, dead, leases, owners, scheduled = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local holders = KEYS[7]
local id = ARGV[1]

local raw = redis.call('HGET', jobs, id)
if not raw or id == PIN then
	return { 'unknown' }
end
local score = redis.call('ZSCORE', finished, id)
if score then
	return { 'finished', raw, score }
end
score = redis.call('ZSCORE', dead, id)
if score then
	return { 'dead', raw, score }
end
score = redis.call('ZSCORE', leases, id)
if score then
	return { 'running', raw, score, redis.call('HGET', owners, id) or '' }
end
local owner = redis.call('HGET', owners, id)
if owner then
	score = redis.call('HGET', holders, worker_of(owner))
	if score then
		return { 'running', raw, score, owner }
	end
end
score = redis.call('ZSCORE', scheduled, id)
if score then
	return { 'scheduled', raw, score }
end
-- An outcome kept in the outcomes list is in none of the sets.
local ended = outcome_ended_at(raw)
if ended then
	return { 'finished', raw, string.format('%d', ended) }
end
return { 'ready', raw }
