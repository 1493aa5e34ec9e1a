#!/bin/bash
# File: tests/tools/data/strace/real/record.sh
#
# Re-records the real strace logs of this directory: ordinary Linux programs (HTTP, netcat,
# ncat, socat, redis, memcached, dnsmasq with dig/host/getent, sshd, python3 asyncio,
# multiprocessing, SO_PEERCRED, non-blocking connect) talking over loopback, each scenario
# recorded in five strace forms (-f, -ff, -f -yy -tt -T, -f -s 65536, -f -e trace=...).
# Both sides of every exchange run under one strace, so a log shows server and client.
#
# Network rule: no packet may leave the machine. The script therefore unshares a fresh
# network namespace itself (only a loopback interface, down until the script brings it up)
# and refuses to run anywhere else; every single recording additionally runs in its own
# fresh network and pid namespace, so no TIME_WAIT or process state leaks between runs and
# pids stay small. A private mount namespace hides /etc/resolv.conf, /etc/hosts, /root and
# /run behind private copies so that resolvers only ever ask the dnsmasq started here
# (nameserver 127.0.0.1) and no file of the recording machine shows up in a log.
#
# Usage: record.sh OUTDIR [SCENARIO...]   (run as root; default: every scenario)
# Each scenario lands in OUTDIR/<scenario>/ as f.log, ff.<pid>..., yytt.log, s65536.log, net.log.

set -euo pipefail

readonly SCENARIOS=(
  http-curl http-curl6 http-wget
  nc-tcp nc-udp nc-unix nc-unix-dgram
  ncat-keep-open ncat-exec
  socat-tcp socat-tcp6 socat-unix
  redis memcached
  dns-dig dns-host dns-getent
  sshd
  py-asyncio py-asyncio6 py-mp-listener py-mp-pool py-peercred py-nbconnect
)
readonly WORK=/tmp/socksim-rec
readonly PY=/usr/bin/python3

usage() {
  echo "usage: $0 OUTDIR [SCENARIO...]" >&2
  echo "scenarios: ${SCENARIOS[*]}" >&2
  exit 2
}

if [[ "${1:-}" != --in-fresh-namespace ]]; then
  [[ $# -ge 1 && "$1" != -* ]] || usage
  [[ "$(id -u)" == 0 ]] || { echo "$0: must run as root (namespaces, port 53, sshd)" >&2; exit 2; }
  mkdir -p "$1"
  out="$(cd "$1" && pwd)"
  shift
  exec unshare --net --mount --uts --propagation private -- \
    /bin/bash "$(readlink -f "$0")" --in-fresh-namespace "$out" "$@"
fi
shift
OUT="$1"
shift

# Refuse unless this really is a fresh network namespace: not the one of pid 1, and holding
# nothing but a loopback interface that nobody has brought up yet.
if [[ "$(readlink /proc/self/ns/net)" == "$(readlink /proc/1/ns/net)" ]]; then
  echo "$0: refusing to record in the machine's network namespace" >&2
  exit 2
fi
links="$(ip -o link show | awk -F': ' '{print $2}')"
if [[ "$links" != lo ]] || ip -o link show lo | grep -q 'state UP\|,UP'; then
  echo "$0: refusing to record: the network namespace is not fresh ($links)" >&2
  exit 2
fi
ip link set lo up
hostname socksim-rec

# Private system files, visible only in this mount namespace.
mkdir -p "$WORK"
mount -t tmpfs -o mode=755 tmpfs "$WORK"
mkdir -p "$WORK/etc"
printf 'nameserver 127.0.0.1\n' >"$WORK/etc/resolv.conf"
printf '127.0.0.1 localhost\n127.0.1.1 socksim-rec\n::1 localhost ip6-localhost ip6-loopback\n' \
  >"$WORK/etc/hosts"
mount --bind "$WORK/etc/resolv.conf" /etc/resolv.conf
mount --bind "$WORK/etc/hosts" /etc/hosts
mount -t tmpfs -o mode=700 tmpfs /root
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -m 755 /run/sshd

if [[ $# -gt 0 ]]; then
  selected=("$@")
else
  selected=("${SCENARIOS[@]}")
fi

# ---------------------------------------------------------------------------------------------
# Scenarios. setup_<name> W writes the static files of the scenario into W and sets SCRIPT,
# the sh script that strace traces; it starts the server(s) in the background, runs the
# client(s), stops the server(s) and exits 0 only when the exchange went as expected.
# Volatile files (sockets, outputs, pid files) go to W/run, emptied before every recording.
# ---------------------------------------------------------------------------------------------

write_www() {
  mkdir -p "$1/www"
  printf 'hello from socksim\n' >"$1/www/hello.txt"
  printf '<html><body>index</body></html>\n' >"$1/www/index.html"
}

setup_http-curl() {
  write_www "$1"
  SCRIPT="$PY -m http.server 8000 --bind 127.0.0.1 --directory $1/www >run/server.out 2>&1 &
p=\$!
sleep 1
curl -sS -o run/hello.txt http://127.0.0.1:8000/hello.txt
curl -sS -o run/index.html http://127.0.0.1:8000/
kill \$p; wait \$p
grep -q socksim run/hello.txt && grep -q index run/index.html"
}

setup_http-curl6() {
  write_www "$1"
  SCRIPT="$PY -m http.server 8001 --bind :: --directory $1/www >run/server.out 2>&1 &
p=\$!
sleep 1
curl -6 -sS -o run/hello.txt 'http://[::1]:8001/hello.txt'
curl -4 -sS -o run/index.html http://127.0.0.1:8001/
kill \$p; wait \$p
grep -q socksim run/hello.txt && grep -q index run/index.html"
}

setup_http-wget() {
  write_www "$1"
  SCRIPT="$PY -m http.server 8002 --bind 127.0.0.1 --directory $1/www >run/server.out 2>&1 &
p=\$!
sleep 1
wget -q -O run/hello.txt http://127.0.0.1:8002/hello.txt
wget -q -O run/index.html http://127.0.0.1:8002/index.html
kill \$p; wait \$p
grep -q socksim run/hello.txt && grep -q index run/index.html"
}

setup_nc-tcp() {
  SCRIPT="printf 'pong\\n' | nc.openbsd -N -l 127.0.0.1 9000 >run/server.out &
p=\$!
sleep 0.5
printf 'ping\\n' | nc.openbsd -N 127.0.0.1 9000 >run/client.out
wait \$p
grep -q ping run/server.out && grep -q pong run/client.out"
}

setup_nc-udp() {
  SCRIPT="(printf 'pong\\n'; sleep 2) | nc.openbsd -u -l 127.0.0.1 9001 >run/server.out &
p=\$!
sleep 0.5
(printf 'ping\\n'; sleep 1) | nc.openbsd -u -w 1 127.0.0.1 9001 >run/client.out
kill \$p; wait \$p
grep -q ping run/server.out && grep -q pong run/client.out"
}

setup_nc-unix() {
  SCRIPT="printf 'pong\\n' | nc.openbsd -N -U -l run/nc.sock >run/server.out &
p=\$!
sleep 0.5
printf 'ping\\n' | nc.openbsd -N -U run/nc.sock >run/client.out
wait \$p
grep -q ping run/server.out && grep -q pong run/client.out"
}

setup_nc-unix-dgram() {
  SCRIPT="(printf 'pong\\n'; sleep 2) | nc.openbsd -uU -l run/nc.sock >run/server.out &
p=\$!
sleep 0.5
(printf 'ping\\n'; sleep 1) | nc.openbsd -uU -w 1 run/nc.sock >run/client.out
kill \$p; wait \$p
grep -q ping run/server.out && grep -q pong run/client.out"
}

setup_ncat-keep-open() {
  SCRIPT="ncat --keep-open -l 127.0.0.1 9010 >run/server.out </dev/null &
p=\$!
sleep 0.5
printf 'one\\n' | ncat 127.0.0.1 9010
printf 'two\\n' | ncat 127.0.0.1 9010
sleep 0.2
kill \$p; wait \$p
grep -q one run/server.out && grep -q two run/server.out"
}

setup_ncat-exec() {
  SCRIPT="ncat --keep-open -l 127.0.0.1 9011 --sh-exec 'head -n 1' &
p=\$!
sleep 0.5
printf 'one\\n' | ncat --no-shutdown 127.0.0.1 9011 >run/client1.out
printf 'two\\n' | ncat --no-shutdown 127.0.0.1 9011 >run/client2.out
kill \$p; wait \$p
grep -q one run/client1.out && grep -q two run/client2.out"
}

setup_socat-tcp() {
  SCRIPT="socat TCP-LISTEN:9020,bind=127.0.0.1,fork,reuseaddr EXEC:/bin/cat &
p=\$!
sleep 0.5
printf 'one\\n' | socat - TCP:127.0.0.1:9020 >run/client1.out
printf 'two\\n' | socat - TCP:127.0.0.1:9020 >run/client2.out
kill \$p; wait \$p
grep -q one run/client1.out && grep -q two run/client2.out"
}

setup_socat-tcp6() {
  SCRIPT="socat 'TCP6-LISTEN:9021,bind=[::1],fork,reuseaddr' EXEC:/bin/cat &
p=\$!
sleep 0.5
printf 'one\\n' | socat - 'TCP6:[::1]:9021' >run/client1.out
printf 'two\\n' | socat - 'TCP6:[::1]:9021' >run/client2.out
kill \$p; wait \$p
grep -q one run/client1.out && grep -q two run/client2.out"
}

setup_socat-unix() {
  SCRIPT="socat UNIX-LISTEN:run/socat.sock,fork EXEC:/bin/cat &
p=\$!
sleep 0.5
printf 'one\\n' | socat - UNIX-CONNECT:run/socat.sock >run/client1.out
printf 'two\\n' | socat - UNIX-CONNECT:run/socat.sock >run/client2.out
kill \$p; wait \$p
grep -q one run/client1.out && grep -q two run/client2.out"
}

setup_redis() {
  SCRIPT="redis-server --port 6390 --bind '127.0.0.1 ::1' --unixsocket $1/run/redis.sock \
--save '' --appendonly no --daemonize no --dir $1/run --logfile '' >run/server.out &
p=\$!
sleep 1
redis-cli -h 127.0.0.1 -p 6390 PING >run/client.out
redis-cli -h ::1 -p 6390 SET k socksim >>run/client.out
redis-cli -s $1/run/redis.sock GET k >>run/client.out
kill \$p; wait \$p
grep -q PONG run/client.out && grep -q socksim run/client.out"
}

setup_memcached() {
  SCRIPT="memcached -U 0 -p 11311 -l 127.0.0.1 -u root -t 2 &
p=\$!
sleep 0.5
printf 'set k 0 0 7\\r\\nsocksim\\r\\nget k\\r\\nquit\\r\\n' | nc.openbsd -N 127.0.0.1 11311 >run/client.out
printf 'stats settings\\r\\nquit\\r\\n' | nc.openbsd -N 127.0.0.1 11311 >>run/client.out
kill \$p; wait \$p
grep -q STORED run/client.out && grep -q 'VALUE k' run/client.out"
}

dnsmasq_cmd() {
  echo "dnsmasq --no-daemon --no-resolv --no-hosts --conf-file=/dev/null --port=53 \
--listen-address=127.0.0.1,::1 --bind-interfaces --address=/example.test/127.0.0.1 \
--address=/example.test/::1 --pid-file=$1/run/dnsmasq.pid 2>run/server.out &"
}

setup_dns-dig() {
  SCRIPT="$(dnsmasq_cmd "$1")
p=\$!
sleep 0.5
dig +short @127.0.0.1 -p 53 www.example.test A >run/client.out
dig +short +tcp @127.0.0.1 -p 53 www.example.test AAAA >>run/client.out
dig +short @::1 -p 53 www.example.test A >>run/client.out
kill \$p; wait \$p
test \$(grep -c 127.0.0.1 run/client.out) = 2 && grep -q '^::1' run/client.out"
}

setup_dns-host() {
  SCRIPT="$(dnsmasq_cmd "$1")
p=\$!
sleep 0.5
host www.example.test 127.0.0.1 >run/client.out
host -t A www.example.test >>run/client.out
kill \$p; wait \$p
grep -q 'has address 127.0.0.1' run/client.out && grep -q 'IPv6 address ::1' run/client.out"
}

setup_dns-getent() {
  SCRIPT="$(dnsmasq_cmd "$1")
p=\$!
sleep 0.5
getent hosts www.example.test >run/client.out
getent ahostsv4 www.example.test >>run/client.out
getent ahosts www.example.test >>run/client.out
kill \$p; wait \$p
grep -q '^::1' run/client.out && grep -q '^127.0.0.1' run/client.out"
}

setup_sshd() {
  ssh-keygen -q -t ed25519 -N '' -C host -f "$1/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C client -f "$1/id_ed25519"
  cp "$1/id_ed25519.pub" "$1/authorized_keys"
  cat >"$1/sshd_config" <<EOF
Port 2222
ListenAddress 127.0.0.1
HostKey $1/host_ed25519
PermitRootLogin yes
PubkeyAuthentication yes
AuthorizedKeysFile $1/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $1/run/sshd.pid
PrintMotd no
PrintLastLog no
UseDNS no
Subsystem sftp internal-sftp
EOF
  SCRIPT="/usr/sbin/sshd -D -e -f $1/sshd_config 2>run/server.out &
p=\$!
sleep 1
ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
-o IdentitiesOnly=yes -o LogLevel=ERROR -i $1/id_ed25519 -p 2222 root@127.0.0.1 true
r=\$?
kill \$p; wait \$p
test \$r = 0"
}

write_asyncio() {
  cat >"$1/aserver.py" <<'EOF'
import asyncio
import sys


async def handle(reader, writer):
    line = await reader.readline()
    writer.write(b"echo " + line)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
EOF
  cat >"$1/aclient.py" <<'EOF'
import asyncio
import sys


async def one(host, port, msg):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(msg + b"\n")
    await writer.drain()
    line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return line


async def main(host, port):
    lines = await asyncio.gather(one(host, port, b"a"), one(host, port, b"b"))
    sys.stdout.write(b"".join(lines).decode())


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
EOF
}

setup_py-asyncio() {
  write_asyncio "$1"
  SCRIPT="$PY $1/aserver.py 127.0.0.1 9030 &
p=\$!
sleep 1
$PY $1/aclient.py 127.0.0.1 9030 >run/client.out
kill \$p; wait \$p
grep -q 'echo a' run/client.out && grep -q 'echo b' run/client.out"
}

setup_py-asyncio6() {
  write_asyncio "$1"
  SCRIPT="$PY $1/aserver.py ::1 9031 &
p=\$!
sleep 1
$PY $1/aclient.py ::1 9031 >run/client.out
kill \$p; wait \$p
grep -q 'echo a' run/client.out && grep -q 'echo b' run/client.out"
}

setup_py-mp-listener() {
  cat >"$1/mpserver.py" <<'EOF'
import sys
from multiprocessing.connection import Listener

with Listener(sys.argv[1], "AF_UNIX", authkey=b"socksim") as listener:
    for _ in range(2):
        with listener.accept() as conn:
            conn.send(("pong", conn.recv()))
EOF
  cat >"$1/mpclient.py" <<'EOF'
import sys
from multiprocessing.connection import Client

for i in range(2):
    with Client(sys.argv[1], "AF_UNIX", authkey=b"socksim") as conn:
        conn.send(i)
        print(conn.recv())
EOF
  SCRIPT="$PY $1/mpserver.py run/mp.sock &
p=\$!
sleep 1
$PY $1/mpclient.py run/mp.sock >run/client.out
wait \$p
grep -q \"('pong', 1)\" run/client.out"
}

setup_py-mp-pool() {
  cat >"$1/mppool.py" <<'EOF'
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(4)))
EOF
  SCRIPT="$PY $1/mppool.py >run/client.out
grep -q '0, 1, 4, 9' run/client.out"
}

setup_py-peercred() {
  cat >"$1/pcserver.py" <<'EOF'
import socket
import struct
import sys

CRED = struct.Struct("3i")

with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
    listener.bind(sys.argv[1])
    listener.listen(1)
    conn, _ = listener.accept()
    with conn:
        pid, uid, gid = CRED.unpack(
            conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, CRED.size))
        conn.sendall(b"%d %d %d\n" % (pid, uid, gid))
EOF
  cat >"$1/pcclient.py" <<'EOF'
import array
import os
import socket
import struct
import sys

CRED = struct.Struct("3i")
me = (os.getpid(), os.getuid(), os.getgid())

# SO_PEERCRED on a stream socketpair names this very process.
a, b = socket.socketpair()
assert CRED.unpack(a.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, CRED.size)) == me
# SCM_RIGHTS: pass a descriptor across the pair.
r, w = os.pipe()
socket.send_fds(a, [b"fd"], [w])
msg, fds, _, _ = socket.recv_fds(b, 16, 1)
os.write(fds[0], b"x")
assert os.read(r, 1) == b"x"
for fd in (r, w, fds[0]):
    os.close(fd)
a.close()
b.close()

# SCM_CREDENTIALS on a datagram socketpair with SO_PASSCRED.
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
b.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
a.sendmsg([b"hi"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, CRED.pack(*me))])
data, anc, _, _ = b.recvmsg(16, socket.CMSG_SPACE(CRED.size))
assert data == b"hi" and CRED.unpack(anc[0][2]) == me
a.close()
b.close()

# SO_PEERCRED across processes: the server reports our credentials, we report its.
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
    c.connect(sys.argv[1])
    peer = CRED.unpack(c.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, CRED.size))
    line = c.recv(100)
    assert line.split() == [b"%d" % v for v in me], (line, me)
    print("server", peer[0] != me[0], "client", line.decode().strip())
EOF
  SCRIPT="$PY $1/pcserver.py run/pc.sock &
p=\$!
sleep 1
$PY $1/pcclient.py run/pc.sock >run/client.out
wait \$p
grep -q 'server True' run/client.out"
}

setup_py-nbconnect() {
  cat >"$1/nbserver.py" <<'EOF'
import select
import socket

# A select-driven server on IPv4 and IPv6: accept, echo one line per connection.
listeners = []
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 9040))
    s.listen(4)
    s.setblocking(False)
    listeners.append(s)
served = 0
conns = []
while served < 2:
    readable, _, _ = select.select(listeners + conns, [], [], 10)
    for s in readable:
        if s in listeners:
            c, _ = s.accept()
            conns.append(c)
        else:
            data = s.recv(100)
            s.sendall(b"echo " + data)
            s.close()
            conns.remove(s)
            served += 1
for s in listeners:
    s.close()
EOF
  cat >"$1/nbconnect.py" <<'EOF'
import errno
import select
import socket

# Non-blocking connect, completion seen through poll, data through select.
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setblocking(False)
    err = s.connect_ex((host, 9040))
    assert err in (0, errno.EINPROGRESS), err
    p = select.poll()
    p.register(s, select.POLLOUT)
    print("poll", p.poll(5000))
    print("SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    s.send(b"ping\n")
    readable, _, _ = select.select([s], [], [], 5)
    print("select", len(readable), s.recv(100))
    s.close()

# Non-blocking connect to a port nobody listens on: the error arrives through SO_ERROR.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setblocking(False)
print("refused connect", s.connect_ex(("127.0.0.1", 9041)))
p = select.poll()
p.register(s, select.POLLOUT)
print("poll", p.poll(5000))
print("SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
s.close()
EOF
  SCRIPT="$PY $1/nbserver.py &
p=\$!
sleep 1
$PY $1/nbconnect.py >run/client.out
wait \$p
test \$(grep -c 'echo ping' run/client.out) = 2 && grep -q 'SO_ERROR 111' run/client.out"
}

# ---------------------------------------------------------------------------------------------

# record_one NAME W D MODE: one strace run in a fresh network and pid namespace.
record_one() {
  local name=$1 w=$2 d=$3 mode=$4
  local -a opts
  case "$mode" in
    f) opts=(-f -o "$d/f.log") ;;
    ff) opts=(-ff -o "$d/ff") ;;
    yytt) opts=(-f -yy -tt -T -o "$d/yytt.log") ;;
    s65536) opts=(-f -s 65536 -o "$d/s65536.log") ;;
    net) opts=(-f -e trace=%network,%desc,%process -o "$d/net.log") ;;
  esac
  rm -rf "$w/run" "$d/$mode.log"
  [[ "$mode" == ff ]] && rm -f "$d"/ff.*
  mkdir "$w/run"
  (cd "$w" && unshare --net --pid --fork --mount-proc -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C USER=root LOGNAME=root \
    /bin/sh -c 'ip link set lo up && exec strace "$@"' sh "${opts[@]}" /bin/sh -c "$SCRIPT")
}

failed=()
for name in "${selected[@]}"; do
  if ! declare -F "setup_$name" >/dev/null; then
    echo "$0: unknown scenario $name" >&2
    usage
  fi
  w="$WORK/$name"
  d="$OUT/$name"
  rm -rf "$w" "$d"
  mkdir -p "$w" "$d"
  SCRIPT=
  "setup_$name" "$w"
  for mode in f ff yytt s65536 net; do
    ok=
    for attempt in 1 2 3; do
      if record_one "$name" "$w" "$d" "$mode" >"$w/record.out" 2>&1; then
        ok=1
        break
      fi
      echo "$name/$mode: attempt $attempt failed:" >&2
      tail -n 5 "$w/record.out" >&2
    done
    if [[ -n "$ok" ]]; then
      echo "$name/$mode: ok"
    else
      echo "$name/$mode: FAILED" >&2
      failed+=("$name/$mode")
    fi
  done
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "$0: failed: ${failed[*]}" >&2
  exit 1
fi
