#!/usr/bin/env python3
"""The raw reference for the cache scan bench: a plain RESP client (no library) that sends
`SCAN cursor COUNT n` until the cursor is 0 and prints how many keys came back, i.e. what
`redis-cli --scan --count n | wc -l` does (Debian 12's redis-cli has no --count).

    resp_scan.py PORT [COUNT]     (password from REDISCLI_AUTH)
"""
import os
import socket
import sys


def command(*args: bytes) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def read(f):
    line = f.readline()
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2]
    if kind == b"*":
        return [read(f) for _ in range(int(rest))]
    raise RuntimeError(f"unexpected reply {line!r}")


def main() -> None:
    port = int(sys.argv[1])
    count = sys.argv[2].encode() if len(sys.argv) > 2 else b"1000"
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    password = os.environ.get("REDISCLI_AUTH")
    if password:
        sock.sendall(command(b"AUTH", password.encode()))
        read(f)
    cursor, keys = b"0", 0
    while True:
        sock.sendall(command(b"SCAN", cursor, b"COUNT", count))
        cursor, page = read(f)
        keys += len(page)
        if cursor == b"0":
            break
    print(keys)


if __name__ == "__main__":
    main()
