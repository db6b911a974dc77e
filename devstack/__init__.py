"""The whole system on one machine: embedded Postgres and the five services as processes.

`make run` uses it in the foreground; the end-to-end tests use it with every port set to 0.
"""
