"""Reading what people write: intent, category, time, place, danger, and the short card replies.

A leaf library: it imports nothing else from handlers/, so every feature (and handlers.common)
may use it.
"""
