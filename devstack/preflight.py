"""Before `make run` starts anything: is a port it needs, or its database, already in use?

A second `make run` (or what a killed one left) would otherwise fail half-way, or worse, have
its services talk to the old ones. This names the port and the process that holds it.
"""

from __future__ import annotations

from collections.abc import Mapping

import psutil


def _command(process: psutil.Process) -> str:
    try:
        argv = process.cmdline()
    except psutil.Error:
        return "?"
    # Some processes pad their title (next-server does): keep only the words.
    return " ".join(" ".join(argv).split())[:120]


def describe(pid: int | None) -> str:
    """Which process this is, and which `make run` (python -m devstack) started it, if any."""
    if pid is None:
        return "a process of another user"
    try:
        process = psutil.Process(pid)
        ancestors = process.parents()
    except psutil.Error:
        return f"PID {pid} (gone since)"
    text = f"PID {pid} ({_command(process)})"
    runner = next((a for a in ancestors if "devstack" in _command(a).split()), None)
    if runner is not None:
        text += f", started by another `make run` (PID {runner.pid}): stop that one first"
    return text


def held_ports(ports: Mapping[str, int]) -> list[str]:
    """One line per port in `ports` (name → port; 0 means any) that something listens on."""
    wanted = {port: name for name, port in ports.items() if port}
    holders: dict[int, int | None] = {}
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port in wanted:
            holders.setdefault(connection.laddr.port, connection.pid)
    return [
        f"port {port} ({wanted[port]}) is held by {describe(pid)}"
        for port, pid in sorted(holders.items())
    ]
