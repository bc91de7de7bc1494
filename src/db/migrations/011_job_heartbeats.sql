-- A running job's process writes a heartbeat; a job whose heartbeat stops (its process died) is
-- taken over by whichever process sweeps next, on any machine.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz;
