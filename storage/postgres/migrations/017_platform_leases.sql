-- Who may use a platform connection that allows one consumer (a Telegram bot token polling, a
-- WeChat account): one instance holds the lease and renews it; when it stops renewing, the lease
-- runs out and another instance takes it.
CREATE TABLE platform_leases (
    name        text PRIMARY KEY,
    owner       text NOT NULL,
    lease_until timestamptz NOT NULL
);
