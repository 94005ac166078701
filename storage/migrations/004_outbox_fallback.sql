-- What to send instead when a private message cannot be delivered (the person never opened
-- a private chat with the bot): a short hint in the group, never the private details.
ALTER TABLE outbox ADD COLUMN fallback TEXT;
