"""What every feature shares: the context, texts and errors, who may do what, and telling people.

Features import from here (and from handlers.understanding, the parser), never from each other.
"""
