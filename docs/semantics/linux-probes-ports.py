#!/usr/bin/env python3
# File: docs/semantics/linux-probes-ports.py
# Probe for how Linux chooses automatic ports (linux-measured.md, K): the parity connect() and
# bind(port 0) prefer, and connect() sharing a port across distinct four-tuples. Run as root in
# a fresh network namespace (it narrows ip_local_port_range there):
#   unshare -n sh -c 'ip link set lo up && python3 linux-probes-ports.py'
import socket

listener = socket.socket()
listener.bind(("127.0.0.1", 5000))
listener.listen(100)
keep = []
connect_ports, bind_ports, listen_ports = [], [], []
for _ in range(20):
    c = socket.socket()
    c.connect(("127.0.0.1", 5000))
    keep.append(c)
    connect_ports.append(c.getsockname()[1] % 2)
for _ in range(20):
    b = socket.socket()
    b.bind(("127.0.0.1", 0))
    keep.append(b)
    bind_ports.append(b.getsockname()[1] % 2)
for _ in range(10):
    s = socket.socket()
    s.listen(1)
    keep.append(s)
    listen_ports.append(s.getsockname()[1] % 2)
print("connect parity", connect_ports)
print("bind(0) parity", bind_ports)
print("listen autobind parity", listen_ports)

with open("/proc/sys/net/ipv4/ip_local_port_range", "w") as f:
    f.write("40000 40001")
listeners = []
for port in (6000, 6001, 6002):
    x = socket.socket()
    x.bind(("127.0.0.1", port))
    x.listen(10)
    listeners.append(x)
for port in (6000, 6001, 6002):
    for _ in range(2):
        c = socket.socket()
        c.connect(("127.0.0.1", port))
        keep.append(c)
        print("to", port, "from", c.getsockname())
for what, call in (("third connect to 6000", lambda s: s.connect(("127.0.0.1", 6000))),
                   ("bind to port 0", lambda s: s.bind(("127.0.0.1", 0)))):
    s = socket.socket()
    try:
        call(s)
        print(what, "ok", s.getsockname())
    except OSError as e:
        print(what, "->", e.strerror)
