"""Domain logic, one folder per feature (queue, emergency, checkin, lovebank, registry, digest, admin).

The features share handlers/common/ and the parser handlers/understanding/; handlers/router.py
lists their handlers in one order. No platform SDK is imported here.
"""
