-- Leases on claimed deliveries (issue 19: several replicas on one database). A claim
-- records who took the entry (`claimed_by`, one id per open store) and until when
-- (`claimed_until`, unix seconds by the server's clock, never a replica's): an entry
-- whose lease ran out belongs to a replica that died mid-send, and the next claim of any
-- replica takes it back. Whoever holds a claim renews it while it works.
ALTER TABLE outbox ADD COLUMN claimed_by text, ADD COLUMN claimed_until double precision;
CREATE INDEX outbox_leases ON outbox (claimed_until) WHERE state = 'sending';
