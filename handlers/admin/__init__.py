"""Accounts and chats: /start, /help, /lang, /bind, /link, /invite, and the platform's own events."""
