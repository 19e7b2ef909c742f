-- Records finished jobs of one queue and then claims for the slots they left, in one call: each
-- part runs as complete_batch.lua and claim.lua run alone (put before this as the functions
-- complete_part and claim_part), so a worker that claims as its jobs finish makes one round trip
-- where it made two.
-- KEYS are claim.lua's twelve, then the queue's idempotency hash and its succeeded counter; ARGV
-- claim.lua's eight, then complete_batch.lua's. Returns { the ids refused, the claim's result }.
local refused = complete_part({ KEYS[3], KEYS[4], KEYS[5], KEYS[13], KEYS[8], KEYS[7], KEYS[14], KEYS[12] },
	{ unpack(ARGV, 9) })
return { refused, claim_part(KEYS, { unpack(ARGV, 1, 8) }) }
