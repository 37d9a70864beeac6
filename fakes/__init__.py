"""Fake platform servers on 127.0.0.1 that enforce the platforms' real rules, and a
throwaway PostgreSQL server (`postgres_server`) to stand in for a deployment's.

The network edge, and nothing else, is faked: the real python-telegram-bot and discord.py
stacks talk to these over HTTP and WebSocket.  Used by the tests and by the benchmarks
(`bench/`), so it lives beside both rather than inside either.
"""
