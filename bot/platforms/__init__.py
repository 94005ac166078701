"""Platform adapters: each translates one chat platform to and from Linli's messages."""
