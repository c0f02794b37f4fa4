"""Frames between the processes of one machine: a 4-byte length, then a pickled message.

Only processes forked from the same supervisor talk over these sockets (a Unix socket in a
directory only the service's user can enter), so pickle carries the admitted articles and the
results as they are.
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct
from typing import Any

__all__ = ["Message", "frame", "read_frame", "recv_frame", "send_frame"]

_HEADER = struct.Struct("!I")

Message = tuple[Any, ...]
"""A message: its kind first (`hello`, `submit`, `work`, `results`, ...), then its fields."""


def frame(message: Message) -> bytes:
    """One message as a frame."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


async def read_frame(reader: asyncio.StreamReader) -> Message:
    """The next message from an asyncio stream; raises IncompleteReadError at the end."""
    header = await reader.readexactly(_HEADER.size)
    (size,) = _HEADER.unpack(header)
    message: Message = pickle.loads(await reader.readexactly(size))  # noqa: S301 -- a sibling process's frame
    return message


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock: socket.socket) -> Message:
    """The next message from a blocking socket; raises EOFError when the peer closed it."""
    (size,) = _HEADER.unpack(_recv_exactly(sock, _HEADER.size))
    message: Message = pickle.loads(_recv_exactly(sock, size))  # noqa: S301 -- a sibling process's frame
    return message


def send_frame(sock: socket.socket, message: Message) -> None:
    """Send one message over a blocking socket."""
    sock.sendall(frame(message))
