-- Leases kept per worker (graceful-worker.worker.lease-layout=per-worker): the holders hash maps a
-- worker's id to when its leases lapse (epoch ms), for the jobs it owns (the owners hash) without
-- a lease of their own in the leases set. Every script honours them whatever its worker writes,
-- so that a queue served by workers of both layouts loses nothing: such a job is running, and is
-- recovered once its worker's lease lapses.
-- Put before each script that calls worker_of.
local function worker_of(token)
	-- A token is workerId:claim:n, and a worker's id may itself hold colons.
	return string.match(token, '^(.*):[^:]*:[^:]*$') or token
end

