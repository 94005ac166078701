-- Who may use a platform connection that allows one consumer (a Telegram bot token polling, a
-- WeChat account): one instance holds the lease and renews it; when it stops renewing, the lease
-- runs out and another instance takes it.
CREATE TABLE platform_leases (
    name        TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    lease_until TEXT NOT NULL
)
