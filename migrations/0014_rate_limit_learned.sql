-- The pace a provider's own X-RateLimit-Limit allows, when it is tighter than the configured pace, kept with the
-- integration's bucket: a long sync hands over to a new invocation every few dozen pages, and each new invocation
-- starts from the configured default. Without this, an account with a lower limit than the default (say 20 requests
-- per 10 s at Greenhouse) got a 429 after every handover until the header taught the limiter again.
alter table rate_limits
  add column learned_capacity double precision check (learned_capacity >= 1),
  add column learned_refill_per_second double precision check (learned_refill_per_second > 0);
