import socket, os
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4)
port = s.getsockname()[1]
pid = os.fork()
if pid == 0:
    c = socket.socket(); c.connect(("127.0.0.1", port)); c.sendall(b"hello"); print(c.recv(10)); c.close(); os._exit(0)
a, _ = s.accept(); d = a.recv(10); a.sendall(d.upper()); a.close(); os.waitpid(pid, 0)
