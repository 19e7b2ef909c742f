-- Leases kept per worker: the holders hash maps a worker's id to when its leases lapse (epoch ms),
-- for the jobs it owns (the owners hash) without a lease of their own in the leases set. No
-- worker of this release writes them; a later one will, renewing one field per worker where a
-- lease a job is written and renewed today. This release honours them so that a rollout or a
-- rollback between the two loses nothing: such a job is running, and is recovered once its
-- worker's lease lapses.
-- Put before each script that calls worker_of.
local function worker_of(token)
	-- A token is workerId:claim:n, and a worker's id may itself hold colons.
	return string.match(token, '^(.*):[^:]*:[^:]*$') or token
end

