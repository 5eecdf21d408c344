#!/usr/bin/env python3
"""How long a resume with an old `resume_ev` takes in a large channel (§6).

    bench/server/resume-old-ev.py NATTERD [NATTERD ...] [--messages N]

Builds one data dir (users alice and bob through natterd's admin CLI, then a
public channel "big" of N messages written straight into SQLite as natterd
stores them), then for each binary in turn: starts it on a copy of that dir,
and times bob's connect → `resumed` for a set of (seq, resume_ev) pairs, best of
three. Prints one line per pair and binary. Asserts nothing (docs/benchmarks.md,
"A resume with an old ev"). Standard library only.
"""
import base64
import json
import os
import random
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import http.client

PAIRS = [(0, 0), (10, 0), (1000, 0), (4000, 0), (5000, 150000), (20000, 100000), (17000, 0),
         (150000, 0), (150000, 150000), (0, 150000), (10, -2**63), (299000, 299000)]
CHANNEL = "b16b16b16b16b16b"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(natterd, root, n):
    d = os.path.join(root, "seed")
    for user in ("alice", "bob"):
        subprocess.run([natterd, "user", "add", user, "--data-dir", d],
                       input=b"pw-%s-12345\npw-%s-12345\n" % (user.encode(), user.encode()),
                       check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(d, "natterd.sqlite"))
    users = [row[0] for row in db.execute("SELECT id FROM users")]
    now = int(time.time() * 1000) - n * 10
    db.execute("INSERT INTO channels (id, name, kind, last_seq, created_at, last_ev, visibility) "
               "VALUES (?, 'big', 'channel', ?, ?, ?, 'public')", (CHANNEL, n, now, n))
    db.executemany("INSERT INTO memberships (channel_id, user_id, last_read_seq) VALUES (?, ?, ?)",
                   [(CHANNEL, u, n) for u in users])
    random.seed(1)
    db.executemany(
        "INSERT INTO messages (id, channel_id, seq, author_id, text, ts, client_msg_id, rev, ev) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (("%032x" % random.getrandbits(128), CHANNEL, i, random.choice(users),
          "message %d" % i, now + i * 10, "seed-%d" % i, i) for i in range(1, n + 1)))
    # Not searched here: natterd would otherwise index them all at its start.
    db.execute("DELETE FROM search_pending")
    db.commit()
    db.close()
    return d


class Ws:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                        "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:%d\r\n\r\n"
                        % (port, key, port)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.s.recv(4096)
        self.buf = self.buf.split(b"\r\n\r\n", 1)[1]

    def send(self, obj):
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n))
        self.s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def read(self, n):
        while len(self.buf) < n:
            self.buf += self.s.recv(1 << 16)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def recv(self):
        b0, b1 = self.read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.read(8))[0]
        data = self.read(n)
        return json.loads(data) if b0 & 0x0F == 1 else {"type": "control"}


def measure(natterd, seeded, root):
    d = os.path.join(root, "run")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(seeded, d)
    port = free_port()
    server = subprocess.Popen([natterd, "--data-dir", d, "--listen", "127.0.0.1:%d" % port],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("POST", "/api/v1/auth/login",
                  json.dumps({"username": "bob", "password": "pw-bob-12345"}),
                  {"Content-Type": "application/json"})
        token = json.loads(c.getresponse().read())["access_token"]
        for seq, ev in PAIRS:
            best = None
            for _ in range(3):
                start = time.monotonic()
                ws = Ws(port)
                ws.send({"type": "authenticate", "token": token,
                         "client": {"name": "bench", "version": "0"},
                         "resume": {CHANNEL: seq}, "resume_ev": {CHANNEL: ev}})
                frames = 0
                while ws.recv().get("type") != "resumed":
                    frames += 1
                took = time.monotonic() - start
                ws.s.close()
                best = took if best is None else min(best, took)
            print("%s seq=%d resume_ev=%d frames=%d best_ms=%.1f"
                  % (natterd, seq, ev, frames, best * 1000), flush=True)
    finally:
        server.terminate()
        server.wait()


def main():
    args = sys.argv[1:]
    n = 300000
    if "--messages" in args:
        i = args.index("--messages")
        n = int(args[i + 1])
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    root = tempfile.mkdtemp()
    try:
        seeded = seed(os.path.abspath(args[0]), root, n)
        for natterd in args:
            measure(os.path.abspath(natterd), seeded, root)
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
