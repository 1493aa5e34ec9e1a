/*
 * linux-probes.c - measure Linux socket-call edge cases (oracle for socksim).
 *
 * Build:  gcc -Wall -o probe linux-probes.c
 * Run (as root, in a private network namespace, from a scratch directory):
 *   unshare -n sh -c 'ip link set lo up && ip addr add fe80::1/64 dev lo && ./probe'
 *
 * Only loopback addresses (127.0.0.1, ::1, fe80::1 on lo), relative UNIX
 * socket paths (created in the current directory, prefixed "sp_") and
 * abstract UNIX names are used.
 *
 * Output: one line per case:
 *   <id> <call> = <ret> [<ERRNO>] [<outputs>]
 * Numbers that depend on the environment (fd numbers, ephemeral ports, pids)
 * are printed as they come; the companion document explains them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int s) { (void)s; sigpipes++; }

static const char *en(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

/* Print "<id> <call> = <ret>[ <ERRNO>][ <extra>]". err is only used if ret < 0. */
static void rep(const char *id, const char *call, long ret, int err, const char *fmt, ...)
{
	char extra[512] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(extra, sizeof extra, fmt, ap);
		va_end(ap);
	}
	if (ret < 0)
		printf("%s %s = %ld %s%s%s\n", id, call, ret, en(err), *extra ? " " : "", extra);
	else
		printf("%s %s = %ld%s%s\n", id, call, ret, *extra ? " " : "", extra);
	fflush(stdout);
}

/* Render a socket address. len is the length the kernel reported. */
static const char *fmt_sa(const void *p, socklen_t len)
{
	int saved = errno;
	static char buf[4][200];
	static int k;
	char *b = buf[k++ & 3];
	const struct sockaddr *sa = p;
	char a[INET6_ADDRSTRLEN];
	if (len < sizeof(sa_family_t)) {
		snprintf(b, 200, "{len=%u}", (unsigned)len);
		errno = saved;
		return b;
	}
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *s = p;
		inet_ntop(AF_INET, &s->sin_addr, a, sizeof a);
		snprintf(b, 200, "{AF_INET %s:%u len=%u}", a, ntohs(s->sin_port), (unsigned)len);
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *s = p;
		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof a);
		snprintf(b, 200, "{AF_INET6 [%s]:%u scope=%u len=%u}", a, ntohs(s->sin6_port),
			 s->sin6_scope_id, (unsigned)len);
		break;
	}
	case AF_UNIX: {
		const struct sockaddr_un *s = p;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);
		if (n == 0)
			snprintf(b, 200, "{AF_UNIX unnamed len=%u}", (unsigned)len);
		else if (s->sun_path[0] == '\0') {
			char h[120] = "";
			for (size_t i = 1; i < n && i < 40; i++) {
				char c = s->sun_path[i];
				size_t l = strlen(h);
				if (c >= 0x20 && c < 0x7f)
					snprintf(h + l, sizeof h - l, "%c", c);
				else
					snprintf(h + l, sizeof h - l, "\\x%02x", (unsigned char)c);
			}
			snprintf(b, 200, "{AF_UNIX abstract @%s len=%u}", h, (unsigned)len);
		} else
			snprintf(b, 200, "{AF_UNIX path=%.*s len=%u}", (int)n, s->sun_path, (unsigned)len);
		break;
	}
	case AF_UNSPEC:
		snprintf(b, 200, "{AF_UNSPEC len=%u}", (unsigned)len);
		break;
	default:
		snprintf(b, 200, "{family=%d len=%u}", sa->sa_family, (unsigned)len);
	}
	errno = saved;
	return b;
}

static const char *sockname(int fd)
{
	int saved = errno;
	static char buf[4][220];
	static int k;
	char *b = buf[k++ & 3];
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		snprintf(b, 220, "getsockname:%s", en(errno));
	else
		snprintf(b, 220, "%s", fmt_sa(&ss, l));
	errno = saved;
	return b;
}

static const char *peername(int fd)
{
	int saved = errno;
	static char buf[4][220];
	static int k;
	char *b = buf[k++ & 3];
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &l) < 0)
		snprintf(b, 220, "getpeername:%s", en(errno));
	else
		snprintf(b, 220, "%s", fmt_sa(&ss, l));
	errno = saved;
	return b;
}

static int so_error(int fd)
{
	int saved = errno;
	int v = -12345;
	socklen_t l = sizeof v;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &l) < 0)
		v = -errno;
	errno = saved;
	return v;
}

static const char *so_error_s(int fd)
{
	static char buf[4][40];
	static int k;
	char *b = buf[k++ & 3];
	int v = so_error(fd);
	snprintf(b, 40, "%s", v == 0 ? "0" : v > 0 ? en(v) : "getsockopt-failed");
	return b;
}

static struct sockaddr_in sin4(const char *ip, int port)
{
	struct sockaddr_in s;
	memset(&s, 0, sizeof s);
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static struct sockaddr_in6 sin6(const char *ip, int port)
{
	struct sockaddr_in6 s;
	memset(&s, 0, sizeof s);
	s.sin6_family = AF_INET6;
	s.sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &s.sin6_addr);
	return s;
}

static struct sockaddr_un sun_path(const char *path, socklen_t *len)
{
	struct sockaddr_un s;
	memset(&s, 0, sizeof s);
	s.sun_family = AF_UNIX;
	strncpy(s.sun_path, path, sizeof s.sun_path - 1);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	return s;
}

static struct sockaddr_un sun_abstract(const char *name, socklen_t *len)
{
	struct sockaddr_un s;
	memset(&s, 0, sizeof s);
	s.sun_family = AF_UNIX;
	memcpy(s.sun_path + 1, name, strlen(name));
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	return s;
}

static int port_of(int fd)
{
	int saved = errno, p = -1;
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &l) == 0) {
		if (ss.ss_family == AF_INET)
			p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	errno = saved;
	return p;
}

static void die(const char *what)
{
	fprintf(stderr, "setup failure: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* TCP listener on 127.0.0.1:port (0 = ephemeral); returns fd, *pp = port. */
static int tcp_listener(int port, int backlog, int *pp)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = sin4("127.0.0.1", port);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("bind listener");
	if (listen(fd, backlog) < 0)
		die("listen");
	if (pp)
		*pp = port_of(fd);
	return fd;
}

static int tcp_connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = sin4("127.0.0.1", port);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	return fd;
}

/* Established pair: *c = client, *s = accepted server side. */
static void tcp_pair(int *c, int *s)
{
	int port, l = tcp_listener(0, 8, &port);
	*c = tcp_connect_to(port);
	*s = accept(l, NULL, NULL);
	if (*s < 0)
		die("accept");
	close(l);
}

static void settle(void) { usleep(100000); }

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void set_rcvtimeo(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

/* Fixed ports used by the probe (well below the ephemeral range). */
#define P_BASE 20000

/* ------------------------------------------------------------------ A */
static void sock_case(const char *id, const char *call, int dom, int type, int proto)
{
	errno = 0;
	int fd = socket(dom, type, proto);
	int e = errno;
	if (fd >= 0) {
		int t = -1;
		socklen_t l = sizeof t;
		getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &l);
		int pr = -1;
		l = sizeof pr;
		getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &pr, &l);
		rep(id, call, fd, 0, "[fd; SO_TYPE=%d SO_PROTOCOL=%d O_NONBLOCK=%d FD_CLOEXEC=%d]", t, pr,
		    !!(fcntl(fd, F_GETFL) & O_NONBLOCK), !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
		close(fd);
	} else
		rep(id, call, fd, e, NULL);
}

static void probe_A(void)
{
	sock_case("A1", "socket(AF_INET,SOCK_SEQPACKET,0)", AF_INET, SOCK_SEQPACKET, 0);
	sock_case("A2", "socket(AF_INET,SOCK_STREAM,IPPROTO_UDP)", AF_INET, SOCK_STREAM, IPPROTO_UDP);
	sock_case("A3", "socket(AF_INET,SOCK_DGRAM,IPPROTO_TCP)", AF_INET, SOCK_DGRAM, IPPROTO_TCP);
	sock_case("A4", "socket(AF_UNIX,SOCK_STREAM,1)", AF_UNIX, SOCK_STREAM, 1);
	sock_case("A4b", "socket(AF_UNIX,SOCK_STREAM,2)", AF_UNIX, SOCK_STREAM, 2);
	sock_case("A5", "socket(AF_UNIX,SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC,0)", AF_UNIX,
		  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sock_case("A6", "socket(12345,SOCK_STREAM,0)", 12345, SOCK_STREAM, 0);
	sock_case("A6b", "socket(AF_MAX-1=45,SOCK_STREAM,0)", 45, SOCK_STREAM, 0);
	sock_case("A7", "socket(AF_INET,99,0)", AF_INET, 99, 0);
	sock_case("A7b", "socket(12345,99,0)", 12345, 99, 0);
	sock_case("A7c", "socket(AF_INET,15,0)", AF_INET, 15, 0);
	sock_case("A7d", "socket(12345,15,0)", 12345, 15, 0);
	sock_case("A7e", "socket(AF_INET,SOCK_PACKET=10,0)", AF_INET, 10, 0);
	sock_case("A8", "socket(AF_INET,SOCK_STREAM|0x40000000,0)", AF_INET, SOCK_STREAM | 0x40000000, 0);
	sock_case("A8b", "socket(12345,SOCK_STREAM|0x40000000,0)", 12345, SOCK_STREAM | 0x40000000, 0);
	sock_case("A9", "socket(AF_INET6,SOCK_SEQPACKET,0)", AF_INET6, SOCK_SEQPACKET, 0);
	sock_case("A9b", "socket(AF_INET,SOCK_STREAM,0)", AF_INET, SOCK_STREAM, 0);
	sock_case("A9c", "socket(AF_INET,SOCK_DGRAM,0)", AF_INET, SOCK_DGRAM, 0);
	sock_case("A9d", "socket(AF_INET,SOCK_STREAM,-1)", AF_INET, SOCK_STREAM, -1);

	int sv[2] = { -1, -1 };
	errno = 0;
	int r = socketpair(AF_INET, SOCK_STREAM, 0, sv);
	{
		int e = errno;
		int open0 = sv[0] >= 0 && fcntl(sv[0], F_GETFD) >= 0, open1 = sv[1] >= 0 && fcntl(sv[1], F_GETFD) >= 0;
		rep("A10", "socketpair(AF_INET,SOCK_STREAM,0) sv preset {-1,-1}", r, e, "[sv={%d,%d} still open: %d,%d]",
		    sv[0], sv[1], open0, open1);
	}
	if (r == 0) {
		close(sv[0]);
		close(sv[1]);
	}
	sv[0] = sv[1] = -1;
	errno = 0;
	r = socketpair(AF_INET6, SOCK_DGRAM, 0, sv);
	rep("A10b", "socketpair(AF_INET6,SOCK_DGRAM,0) sv preset {-1,-1}", r, errno, "[sv={%d,%d}]", sv[0], sv[1]);
	sv[0] = sv[1] = -1;
	errno = 0;
	r = socketpair(12345, SOCK_STREAM, 0, sv);
	rep("A10c", "socketpair(12345,SOCK_STREAM,0) sv preset {-1,-1}", r, errno, "[sv={%d,%d}]", sv[0], sv[1]);
	errno = 0;
	r = socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	if (r == 0) {
		int t = -1;
		socklen_t l = sizeof t;
		getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &t, &l);
		rep("A11", "socketpair(AF_UNIX,SOCK_SEQPACKET,0)", r, 0,
		    "[sv={fd,fd} SO_TYPE=%d local=%s peer=%s]", t, sockname(sv[0]), peername(sv[0]));
		close(sv[0]);
		close(sv[1]);
	} else
		rep("A11", "socketpair(AF_UNIX,SOCK_SEQPACKET,0)", r, errno, NULL);
}

/* ------------------------------------------------------------------ B */
static int tcp4(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

static int tcp6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket6");
	return fd;
}

static void reuse(int fd)
{
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
}

static void bind4_case(const char *id, const char *call, int fd, const void *a, socklen_t len)
{
	errno = 0;
	int r = bind(fd, a, len);
	rep(id, call, r, errno, "[getsockname=%s]", sockname(fd));
}

/* bind in a child after setresuid(uid); returns result line. */
static void bind_as_uid2(const char *id, const char *call, uid_t uid, const char *ip, int port, int prebind);
static void bind_as_uid(const char *id, const char *call, uid_t uid, const char *ip, int port)
{
	bind_as_uid2(id, call, uid, ip, port, 0);
}

/* prebind != 0: the socket is first bound (as uid) to 127.0.0.1:prebind */
static void bind_as_uid2(const char *id, const char *call, uid_t uid, const char *ip, int port, int prebind)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		die("pipe");
	pid_t p = fork();
	if (p == 0) {
		close(pfd[0]);
		int res[2] = { 0, 0 };
		if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0) {
			res[0] = -2;
			res[1] = errno;
		} else {
			int fd = socket(AF_INET, SOCK_STREAM, 0);
			struct sockaddr_in a = sin4(ip, port);
			if (prebind) {
				struct sockaddr_in pb = sin4("127.0.0.1", prebind);
				if (bind(fd, (struct sockaddr *)&pb, sizeof pb) < 0)
					_exit(5);
			}
			errno = 0;
			res[0] = bind(fd, (struct sockaddr *)&a, sizeof a);
			res[1] = errno;
		}
		if (write(pfd[1], res, sizeof res) != sizeof res)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	int res[2] = { -3, 0 };
	if (read(pfd[0], res, sizeof res) != sizeof res)
		res[0] = -3;
	close(pfd[0]);
	waitpid(p, NULL, 0);
	if (res[0] == -2)
		rep(id, call, -1, res[1], "[setresuid failed]");
	else
		rep(id, call, res[0], res[1], "[as uid %u]", (unsigned)uid);
}

static void probe_B(void)
{
	int fd, fd2, r;
	struct sockaddr_in a;
	char buf[128];

	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 1);
	bind4_case("B1", "bind(tcp4,{AF_INET 127.0.0.1:20001},15)", fd, &a, 15);
	close(fd);

	/* AF_INET6 family in a 16-byte buffer */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 1);
	a.sin_family = AF_INET6;
	bind4_case("B2", "bind(tcp4,{family=AF_INET6 127.0.0.1:20001},16)", fd, &a, 16);
	close(fd);

	fd = tcp4();
	a = sin4("0.0.0.0", P_BASE + 2);
	a.sin_family = AF_UNSPEC;
	bind4_case("B3", "bind(tcp4,{AF_UNSPEC 0.0.0.0:20002},16)", fd, &a, 16);
	close(fd);

	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 3);
	a.sin_family = AF_UNSPEC;
	bind4_case("B4", "bind(tcp4,{AF_UNSPEC 127.0.0.1:20003},16)", fd, &a, 16);
	close(fd);

	fd = tcp4();
	a = sin4("10.9.9.9", P_BASE + 4);
	snprintf(buf, sizeof buf, "bind(tcp4,{AF_INET 10.9.9.9:20004},16) [ip_nonlocal_bind=0]");
	bind4_case("B5", buf, fd, &a, 16);
	close(fd);

	/* B6: port in use, neither socket has SO_REUSEADDR */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 6);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("B6 first bind");
	fd2 = tcp4();
	bind4_case("B6", "bind(2nd tcp4,127.0.0.1:20006) first bound (not listening), no SO_REUSEADDR", fd2, &a, sizeof a);
	close(fd2);
	fd2 = tcp4();
	struct sockaddr_in any = sin4("0.0.0.0", P_BASE + 6);
	bind4_case("B6b", "bind(2nd tcp4,0.0.0.0:20006) first bound 127.0.0.1:20006, no SO_REUSEADDR", fd2, &any, sizeof any);
	close(fd2);
	close(fd);

	/* B7: both SO_REUSEADDR, first only bound */
	fd = tcp4();
	reuse(fd);
	a = sin4("127.0.0.1", P_BASE + 7);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("B7 first bind");
	fd2 = tcp4();
	reuse(fd2);
	bind4_case("B7", "bind(2nd tcp4,127.0.0.1:20007) both SO_REUSEADDR, first bound (not listening)", fd2, &a, sizeof a);
	/* now try to listen on both */
	errno = 0;
	r = listen(fd, 5);
	rep("B7b", "listen(1st) after both bound same addr:port", r, errno, NULL);
	errno = 0;
	r = listen(fd2, 5);
	rep("B7c", "listen(2nd) while 1st listening on same addr:port", r, errno, NULL);
	close(fd2);
	close(fd);

	/* B8: both SO_REUSEADDR, first listening */
	fd = tcp4();
	reuse(fd);
	a = sin4("127.0.0.1", P_BASE + 8);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 5) < 0)
		die("B8 first");
	fd2 = tcp4();
	reuse(fd2);
	bind4_case("B8", "bind(2nd tcp4,127.0.0.1:20008) both SO_REUSEADDR, first LISTENING", fd2, &a, sizeof a);
	close(fd2);
	fd2 = tcp4();
	bind4_case("B8b", "bind(2nd tcp4 no REUSEADDR,127.0.0.1:20008) first LISTENING w/ REUSEADDR", fd2, &a, sizeof a);
	close(fd2);
	close(fd);

	/* B8c: TIME_WAIT-free check: REUSEADDR only on the second socket */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 9);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("B8c first");
	fd2 = tcp4();
	reuse(fd2);
	bind4_case("B8c", "bind(2nd tcp4 w/ REUSEADDR,127.0.0.1:20009) first bound w/o REUSEADDR", fd2, &a, sizeof a);
	close(fd2);
	close(fd);

	/* B9: bind twice on same socket */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 10);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	struct sockaddr_in a2 = sin4("127.0.0.1", P_BASE + 11);
	bind4_case("B9", "bind(tcp4 already bound 127.0.0.1:20010, 127.0.0.1:20011)", fd, &a2, sizeof a2);
	bind4_case("B9b", "bind(same tcp4, same 127.0.0.1:20010 again)", fd, &a, sizeof a);
	close(fd);

	/* B10/B11: privileged port */
	fd = tcp4();
	a = sin4("127.0.0.1", 80);
	bind4_case("B10", "bind(tcp4,127.0.0.1:80) as root", fd, &a, sizeof a);
	close(fd);
	bind_as_uid("B11", "bind(tcp4,127.0.0.1:80) as uid 1000 (root socket on :80 closed) [ip_unprivileged_port_start=1024]", 1000, "127.0.0.1", 80);
	bind_as_uid("B11b", "bind(tcp4,127.0.0.1:1023) as uid 1000", 1000, "127.0.0.1", 1023);
	bind_as_uid("B11c", "bind(tcp4,127.0.0.1:1024) as uid 1000", 1000, "127.0.0.1", 1024);
	bind_as_uid("B11d", "bind(tcp4,127.0.0.1:0) as uid 1000", 1000, "127.0.0.1", 0);
	bind_as_uid("B11e", "bind(tcp4,10.9.9.9:81) as uid 1000 (non-local AND privileged)", 1000, "10.9.9.9", 81);
	bind_as_uid2("B11f", "bind(tcp4 already bound 127.0.0.1:20018, 127.0.0.1:81) as uid 1000 (bound AND privileged)",
		     1000, "127.0.0.1", 81, P_BASE + 18);

	/* B12: already bound AND non-local address */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 12);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	a2 = sin4("10.9.9.9", P_BASE + 13);
	bind4_case("B12", "bind(tcp4 already bound, 10.9.9.9:20013)", fd, &a2, sizeof a2);
	bind4_case("B12b", "bind(tcp4 already bound, addrlen 15)", fd, &a2, 15);
	a2 = sin4("127.0.0.1", P_BASE + 13);
	a2.sin_family = AF_INET6;
	bind4_case("B12c", "bind(tcp4 already bound, family AF_INET6 len 16)", fd, &a2, 16);
	close(fd);

	/* B13: AF_INET6 addrlen 24 / 28 / 23 */
	struct sockaddr_in6 s6;
	s6 = sin6("::1", P_BASE + 14);
	fd = tcp6();
	bind4_case("B13a", "bind(tcp6,[::1]:20014,24)", fd, &s6, 24);
	close(fd);
	fd = tcp6();
	bind4_case("B13b", "bind(tcp6,[::1]:20014,28)", fd, &s6, 28);
	close(fd);
	fd = tcp6();
	bind4_case("B13c", "bind(tcp6,[::1]:20014,23)", fd, &s6, 23);
	close(fd);
	fd = tcp6();
	struct { struct sockaddr_in6 s; char pad[8]; } big;
	memset(&big, 0, sizeof big);
	big.s = s6;
	bind4_case("B13d", "bind(tcp6,[::1]:20014,36)", fd, &big, 36);
	close(fd);
	fd = tcp6();
	struct sockaddr_in s4in6 = sin4("127.0.0.1", P_BASE + 14);
	bind4_case("B13e", "bind(tcp6,{AF_INET 127.0.0.1:20014},16)", fd, &s4in6, 16);
	close(fd);

	/* B14: link-local */
	unsigned lo = if_nametoindex("lo");
	s6 = sin6("fe80::1", P_BASE + 15);
	fd = tcp6();
	bind4_case("B14", "bind(tcp6,[fe80::1]:20015 scope_id=0,28)", fd, &s6, 28);
	close(fd);
	s6.sin6_scope_id = lo;
	fd = tcp6();
	snprintf(buf, sizeof buf, "bind(tcp6,[fe80::1]:20015 scope_id=%u(lo),28)", lo);
	bind4_case("B14b", buf, fd, &s6, 28);
	close(fd);
	fd = tcp6();
	snprintf(buf, sizeof buf, "bind(tcp6,[fe80::1]:20015 scope_id=%u(lo),24)", lo);
	bind4_case("B14c", buf, fd, &s6, 24);
	close(fd);
	fd = tcp6();
	s6.sin6_scope_id = 999;
	bind4_case("B14d", "bind(tcp6,[fe80::1]:20015 scope_id=999(no such if),28)", fd, &s6, 28);
	close(fd);
	fd = tcp6();
	s6 = sin6("fe80::2", P_BASE + 15);
	s6.sin6_scope_id = lo;
	bind4_case("B14e", "bind(tcp6,[fe80::2]:20015 scope_id=lo (addr not assigned),28)", fd, &s6, 28);
	close(fd);
	fd = tcp6();
	s6 = sin6("fe80::1", P_BASE + 15);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) < 0)
		die("SO_BINDTODEVICE");
	bind4_case("B14f", "bind(tcp6 SO_BINDTODEVICE=lo,[fe80::1]:20015 scope_id=0,28)", fd, &s6, 28);
	close(fd);

	/* B15: v4-mapped */
	int on = 1, off = 0;
	s6 = sin6("::ffff:127.0.0.1", P_BASE + 16);
	fd = tcp6();
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	bind4_case("B15", "bind(tcp6 V6ONLY=0,[::ffff:127.0.0.1]:20016)", fd, &s6, sizeof s6);
	close(fd);
	fd = tcp6();
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	bind4_case("B15b", "bind(tcp6 V6ONLY=1,[::ffff:127.0.0.1]:20016)", fd, &s6, sizeof s6);
	close(fd);
	fd = tcp6();
	s6 = sin6("::ffff:10.9.9.9", P_BASE + 16);
	bind4_case("B15c", "bind(tcp6 V6ONLY=0,[::ffff:10.9.9.9]:20016)", fd, &s6, sizeof s6);
	close(fd);
	/* v4-mapped bind conflicts with an AF_INET socket on the same port? */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 17);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	fd2 = tcp6();
	s6 = sin6("::ffff:127.0.0.1", P_BASE + 17);
	bind4_case("B15d", "bind(tcp6,[::ffff:127.0.0.1]:20017) while tcp4 bound 127.0.0.1:20017", fd2, &s6, sizeof s6);
	close(fd2);
	fd2 = tcp6();
	s6 = sin6("::", P_BASE + 17);
	bind4_case("B15e", "bind(tcp6 V6ONLY=0,[::]:20017) while tcp4 bound 127.0.0.1:20017", fd2, &s6, sizeof s6);
	close(fd2);
	fd2 = tcp6();
	setsockopt(fd2, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	bind4_case("B15f", "bind(tcp6 V6ONLY=1,[::]:20017) while tcp4 bound 127.0.0.1:20017", fd2, &s6, sizeof s6);
	close(fd2);
	close(fd);
}

/* ------------------------------------------------------------------ C */
static void probe_C(void)
{
	int fd, r;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	r = listen(fd, 5);
	rep("C1", "listen(udp4,5)", r, errno, NULL);
	close(fd);

	fd = tcp4();
	errno = 0;
	r = listen(fd, 5);
	rep("C2", "listen(unbound tcp4,5)", r, errno, "[getsockname=%s]", sockname(fd));
	errno = 0;
	r = listen(fd, 10);
	rep("C3", "listen(same tcp4,10) second time", r, errno, "[getsockname=%s]", sockname(fd));
	close(fd);

	fd = tcp6();
	errno = 0;
	r = listen(fd, 5);
	rep("C2b", "listen(unbound tcp6,5)", r, errno, "[getsockname=%s]", sockname(fd));
	close(fd);

	int c, s;
	tcp_pair(&c, &s);
	errno = 0;
	r = listen(c, 5);
	rep("C4", "listen(connected tcp4 client,5)", r, errno, NULL);
	errno = 0;
	r = listen(s, 5);
	rep("C4b", "listen(accepted tcp4 socket,5)", r, errno, NULL);
	close(c);
	close(s);

	fd = tcp4();
	errno = 0;
	r = listen(fd, -1);
	rep("C4c", "listen(unbound tcp4,-1)", r, errno, NULL);
	close(fd);

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = listen(fd, 5);
	rep("C5", "listen(unix dgram,5)", r, errno, NULL);
	close(fd);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = listen(fd, 5);
	rep("C6", "listen(unbound unix stream,5)", r, errno, "[getsockname=%s]", sockname(fd));
	close(fd);

	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	errno = 0;
	r = listen(fd, 5);
	rep("C6b", "listen(unbound unix seqpacket,5)", r, errno, "[getsockname=%s]", sockname(fd));
	close(fd);

	/* explicit autobind: bind with addrlen == sizeof(sa_family_t) */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un u;
	memset(&u, 0, sizeof u);
	u.sun_family = AF_UNIX;
	errno = 0;
	r = bind(fd, (struct sockaddr *)&u, sizeof(sa_family_t));
	rep("C6c", "bind(unix stream,{AF_UNIX},2) (autobind)", r, errno, "[getsockname=%s]", sockname(fd));
	errno = 0;
	r = listen(fd, 5);
	rep("C6d", "listen(autobound unix stream,5)", r, errno, NULL);
	close(fd);
}

/* ------------------------------------------------------------------ D */
static void probe_D(void)
{
	int fd, r, lport, l;
	struct sockaddr_in a;
	struct pollfd pfd;

	/* D1: blocking connect to closed port */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 30);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D1", "connect(tcp4 blocking,127.0.0.1:20030 closed)", r, errno,
	    "[getsockname=%s getpeername=%s SO_ERROR=%s]", sockname(fd), peername(fd), so_error_s(fd));
	{
		/* is the port shown by getsockname still reserved? */
		int shown = port_of(fd), t = tcp4();
		struct sockaddr_in b = sin4("0.0.0.0", shown);
		errno = 0;
		r = bind(t, (struct sockaddr *)&b, sizeof b);
		rep("D1e", "bind(new tcp4 w/o REUSEADDR, 0.0.0.0:<port shown by refused socket>)", r, errno, NULL);
		close(t);
	}
	l = tcp_listener(0, 8, &lport);
	a = sin4("127.0.0.1", lport);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D1b", "connect(same socket, 127.0.0.1:<listener>) after ECONNREFUSED", r, errno,
	    "[getsockname=%s getpeername=%s]", sockname(fd), peername(fd));
	close(fd);
	close(l);

	/* D1c: bound socket (explicit port) refused: is the port kept? */
	fd = tcp4();
	a = sin4("127.0.0.1", P_BASE + 31);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	a = sin4("127.0.0.1", P_BASE + 30);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D1c", "connect(tcp4 bound 127.0.0.1:20031, 127.0.0.1:20030 closed)", r, errno,
	    "[getsockname=%s]", sockname(fd));
	close(fd);

	/* D1d: socket bound to 0.0.0.0:0? no - bound to 127.0.0.1:0 (address only) */
	fd = tcp4();
	a = sin4("127.0.0.1", 0);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	a = sin4("127.0.0.1", P_BASE + 30);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D1d", "connect(tcp4 bound 127.0.0.1:0(eph), 127.0.0.1:20030 closed)", r, errno,
	    "[getsockname=%s]", sockname(fd));
	close(fd);

	/* D2: non-blocking connect to listener; handshake completes on loopback */
	l = tcp_listener(0, 8, &lport);
	a = sin4("127.0.0.1", lport);
	fd = tcp4();
	set_nonblock(fd);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2", "connect(tcp4 O_NONBLOCK, listener)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2b", "connect(same) immediately again", r, errno, "[getpeername=%s]", peername(fd));
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2c", "connect(same) third time", r, errno, NULL);
	close(fd);

	/* D2 variant: poll for completion first */
	fd = tcp4();
	set_nonblock(fd);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2d", "connect(tcp4 O_NONBLOCK, listener)", r, errno, NULL);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	r = poll(&pfd, 1, 1000);
	rep("D2e", "poll(POLLOUT)", r, errno, "[revents=0x%x SO_ERROR=%s]", pfd.revents, so_error_s(fd));
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2f", "connect(same) after completion", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2g", "connect(same) again", r, errno, NULL);
	errno = 0;
	struct sockaddr_in other = sin4("127.0.0.1", P_BASE + 39);
	r = connect(fd, (struct sockaddr *)&other, sizeof other);
	rep("D2h", "connect(same connected, different addr)", r, errno, NULL);
	close(fd);

	/* D2 variant: completed, but first thing after is getsockopt/send, then connect */
	fd = tcp4();
	set_nonblock(fd);
	connect(fd, (struct sockaddr *)&a, sizeof a);
	poll(&pfd, 1, 1000);
	errno = 0;
	r = send(fd, "x", 1, MSG_NOSIGNAL);
	rep("D2i", "send(nonblock-connected socket before 2nd connect)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2j", "connect(same) after send", r, errno, NULL);
	close(fd);
	close(l);

	/* D2 variant: handshake cannot complete (listener accept queue full, SYN dropped) */
	l = tcp_listener(0, 0, &lport);
	a = sin4("127.0.0.1", lport);
	int filler = tcp_connect_to(lport);
	settle();
	fd = tcp4();
	set_nonblock(fd);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2k", "connect(tcp4 O_NONBLOCK, listener backlog 0 w/ full accept queue)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2l", "connect(same, still SYN_SENT)", r, errno, "[getpeername=%s]", peername(fd));
	errno = 0;
	r = send(fd, "x", 1, MSG_NOSIGNAL);
	rep("D2m", "send(same, still SYN_SENT)", r, errno, NULL);
	errno = 0;
	char ch;
	r = recv(fd, &ch, 1, 0);
	rep("D2n", "recv(same, still SYN_SENT)", r, errno, NULL);
	errno = 0;
	struct sockaddr_in un = sin4("0.0.0.0", 0);
	un.sin_family = AF_UNSPEC;
	r = connect(fd, (struct sockaddr *)&un, sizeof un);
	rep("D2o", "connect(same SYN_SENT, AF_UNSPEC)", r, errno, "[getpeername=%s]", peername(fd));
	close(fd);
	close(filler);
	close(l);

	/* D2 variant: non-blocking connect to closed port */
	fd = tcp4();
	set_nonblock(fd);
	a = sin4("127.0.0.1", P_BASE + 30);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2p", "connect(tcp4 O_NONBLOCK, closed port)", r, errno, NULL);
	settle();
	pfd.fd = fd;
	pfd.events = POLLOUT | POLLIN;
	pfd.revents = 0;
	poll(&pfd, 1, 1000);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2q", "connect(same) again, SO_ERROR not read", r, errno, "[poll revents before=0x%x]", pfd.revents);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2r", "connect(same) once more", r, errno, NULL);
	close(fd);
	fd = tcp4();
	set_nonblock(fd);
	connect(fd, (struct sockaddr *)&a, sizeof a);
	settle();
	int se = so_error(fd);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D2s", "connect(nonblock refused socket) after SO_ERROR was read", r, errno, "[SO_ERROR read=%s]",
	    se > 0 ? en(se) : "0");
	close(fd);

	/* D3: connect on listening socket */
	l = tcp_listener(0, 8, &lport);
	a = sin4("127.0.0.1", lport);
	errno = 0;
	r = connect(l, (struct sockaddr *)&a, sizeof a);
	rep("D3", "connect(listening tcp4, its own addr)", r, errno, NULL);
	close(l);

	/* D4: addrlen 15 */
	l = tcp_listener(0, 8, &lport);
	a = sin4("127.0.0.1", lport);
	fd = tcp4();
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, 15);
	rep("D4", "connect(tcp4,{AF_INET 127.0.0.1:<listener>},15)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, 1);
	rep("D4b", "connect(tcp4,...,1)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, 0);
	rep("D4c", "connect(tcp4,...,0)", r, errno, NULL);
	close(fd);

	/* D5: AF_UNSPEC on unconnected */
	fd = tcp4();
	un = sin4("0.0.0.0", 0);
	un.sin_family = AF_UNSPEC;
	errno = 0;
	r = connect(fd, (struct sockaddr *)&un, sizeof un);
	rep("D5", "connect(unconnected tcp4,{AF_UNSPEC},16)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&un, 2);
	rep("D5b", "connect(unconnected tcp4,{AF_UNSPEC},2)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D5c", "connect(same) to listener afterwards", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&un, sizeof un);
	rep("D5d", "connect(connected tcp4,{AF_UNSPEC})", r, errno,
	    "[getpeername=%s getsockname=%s]", peername(fd), sockname(fd));
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D5e", "connect(same) to listener again after AF_UNSPEC disconnect", r, errno,
	    "[getpeername=%s]", peername(fd));
	close(fd);
	int ll = tcp_listener(0, 8, NULL);
	errno = 0;
	r = connect(ll, (struct sockaddr *)&un, sizeof un);
	rep("D5f", "connect(listening tcp4,{AF_UNSPEC})", r, errno, "[getsockname=%s]", sockname(ll));
	errno = 0;
	r = accept4(ll, NULL, NULL, SOCK_NONBLOCK);
	rep("D5g", "accept(former listener after AF_UNSPEC)", r, errno, NULL);
	close(ll);

	/* D6: connect to 0.0.0.0:port */
	fd = tcp4();
	a = sin4("0.0.0.0", lport);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D6", "connect(tcp4,0.0.0.0:<listener>)", r, errno, "[getpeername=%s getsockname=%s]",
	    peername(fd), sockname(fd));
	close(fd);
	close(l);
	{
		int l6 = tcp6(), p6;
		struct sockaddr_in6 b6 = sin6("::", 0);
		if (bind(l6, (struct sockaddr *)&b6, sizeof b6) < 0 || listen(l6, 8) < 0)
			die("l6");
		p6 = port_of(l6);
		fd = tcp6();
		b6 = sin6("::", p6);
		errno = 0;
		r = connect(fd, (struct sockaddr *)&b6, sizeof b6);
		rep("D6b", "connect(tcp6,[::]:<listener>)", r, errno, "[getpeername=%s getsockname=%s]",
		    peername(fd), sockname(fd));
		close(accept(l6, NULL, NULL));
		close(fd);
		fd = tcp6();
		b6 = sin6("::ffff:127.0.0.1", p6);
		errno = 0;
		r = connect(fd, (struct sockaddr *)&b6, sizeof b6);
		rep("D6c", "connect(tcp6,[::ffff:127.0.0.1]:<dual-stack listener>)", r, errno,
		    "[getpeername=%s getsockname=%s]", peername(fd), sockname(fd));
		close(accept(l6, NULL, NULL));
		close(fd);
		fd = tcp4();
		a = sin4("127.0.0.1", p6);
		errno = 0;
		r = connect(fd, (struct sockaddr *)&a, sizeof a);
		int e6 = errno;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int as = accept(l6, (struct sockaddr *)&ss, &sl);
		rep("D6d", "connect(tcp4,127.0.0.1:<[::] listener>)", r, e6, "[client getsockname=%s; accept peer=%s]",
		    sockname(fd), as >= 0 ? fmt_sa(&ss, sl) : "?");
		if (as >= 0)
			close(as);
		close(fd);
		close(l6);
	}

	/* D7: AF_INET socket, AF_INET6 sockaddr */
	l = tcp_listener(0, 8, &lport);
	fd = tcp4();
	struct sockaddr_in6 s6 = sin6("::1", lport);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&s6, sizeof s6);
	rep("D7", "connect(tcp4,{AF_INET6 [::1]:<listener>},28)", r, errno, NULL);
	close(fd);
	fd = tcp6();
	a = sin4("127.0.0.1", lport);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("D7b", "connect(tcp6,{AF_INET 127.0.0.1:<listener>},16)", r, errno, NULL);
	close(fd);
	fd = tcp6();
	s6 = sin6("::1", lport);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&s6, 23);
	rep("D7c", "connect(tcp6,[::1]:p,23)", r, errno, NULL);
	close(fd);
	fd = tcp6();
	{
		struct sockaddr_in6 x = sin6("::1", lport);
		x.sin6_family = AF_INET;
		errno = 0;
		r = connect(fd, (struct sockaddr *)&x, sizeof x);
		rep("D7d", "connect(tcp6,{family=AF_INET, rest [::1]:p},28)", r, errno, NULL);
	}
	close(fd);
	close(l);
}

/* ------------------------------------------------------------------ E */
static void probe_E(void)
{
	int fd, r, l, lport;

	fd = tcp4();
	errno = 0;
	r = accept(fd, NULL, NULL);
	rep("E1", "accept(unbound non-listening tcp4)", r, errno, NULL);
	close(fd);
	fd = tcp4();
	struct sockaddr_in a = sin4("127.0.0.1", 0);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	errno = 0;
	r = accept(fd, NULL, NULL);
	rep("E1b", "accept(bound non-listening tcp4)", r, errno, NULL);
	close(fd);
	{
		int c, s;
		tcp_pair(&c, &s);
		errno = 0;
		r = accept(c, NULL, NULL);
		rep("E1c", "accept(connected tcp4)", r, errno, NULL);
		close(c);
		close(s);
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	r = accept(fd, NULL, NULL);
	rep("E2", "accept(udp4)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = accept(fd, NULL, NULL);
	rep("E2b", "accept(unix dgram)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = accept(fd, NULL, NULL);
	rep("E2c", "accept(unbound non-listening unix stream)", r, errno, NULL);
	close(fd);

	l = tcp_listener(0, 8, &lport);
	set_nonblock(l);
	errno = 0;
	r = accept(l, NULL, NULL);
	rep("E3", "accept(tcp4 listener O_NONBLOCK, empty queue)", r, errno, "[EAGAIN==EWOULDBLOCK:%d]",
	    EAGAIN == EWOULDBLOCK);
	close(l);
	/* accept4 flags apply to the new fd only; SO_RCVTIMEO bounds the wait */
	l = tcp_listener(0, 8, &lport);
	set_rcvtimeo(l, 300);
	{
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		errno = 0;
		r = accept4(l, NULL, NULL, SOCK_NONBLOCK);
		int e = errno;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		rep("E3b", "accept4(blocking tcp4 listener w/ SO_RCVTIMEO=300ms, flags=SOCK_NONBLOCK, empty queue)", r, e,
		    "[blocked ~%s ms]", ms >= 250 ? "300" : "0");
	}
	close(l);

	l = tcp_listener(0, 8, &lport);
	int c = tcp_connect_to(lport);
	errno = 0;
	r = accept(l, NULL, NULL);
	rep("E4", "accept(tcp4 listener, NULL, NULL)", r, errno, "[new fd; getpeername=%s]", r >= 0 ? peername(r) : "-");
	if (r >= 0)
		close(r);
	close(c);

	c = tcp_connect_to(lport);
	unsigned char ab[32];
	memset(ab, 0xAA, sizeof ab);
	socklen_t al = 4;
	errno = 0;
	r = accept(l, (struct sockaddr *)ab, &al);
	rep("E5", "accept(tcp4 listener, buf, &len=4)", r, errno,
	    "[len written back=%u bytes=%02x %02x %02x %02x | %02x %02x (untouched=aa)] client port=%u",
	    (unsigned)al, ab[0], ab[1], ab[2], ab[3], ab[4], ab[5], port_of(c));
	if (r >= 0)
		close(r);
	close(c);

	c = tcp_connect_to(lport);
	al = 0;
	memset(ab, 0xAA, sizeof ab);
	errno = 0;
	r = accept(l, (struct sockaddr *)ab, &al);
	rep("E5b", "accept(tcp4 listener, buf, &len=0)", r, errno, "[len written back=%u byte0=%02x]",
	    (unsigned)al, ab[0]);
	if (r >= 0)
		close(r);
	close(c);

	c = tcp_connect_to(lport);
	al = 64;
	memset(ab, 0xAA, sizeof ab);
	struct sockaddr_storage big;
	al = sizeof big;
	errno = 0;
	r = accept(l, (struct sockaddr *)&big, &al);
	rep("E5c", "accept(tcp4 listener, buf, &len=128)", r, errno, "[len written back=%u]", (unsigned)al);
	if (r >= 0)
		close(r);
	close(c);

	/* E5d: negative addrlen: the connection is dequeued and then lost? */
	c = tcp_connect_to(lport);
	settle();
	al = (socklen_t)-1;
	memset(ab, 0xAA, sizeof ab);
	errno = 0;
	r = accept(l, (struct sockaddr *)ab, &al);
	int e = errno;
	settle();
	set_nonblock(l);
	errno = 0;
	int r2 = accept(l, NULL, NULL);
	int e2 = errno;
	set_rcvtimeo(c, 500);
	char ch;
	errno = 0;
	int r3 = recv(c, &ch, 1, 0);
	rep("E5d", "accept(tcp4 listener, buf, &len=-1)", r, e,
	    "[len afterwards=%d byte0=%02x; then accept(nonblock)=%d %s; client recv=%d %s]", (int)al, ab[0], r2,
	    r2 < 0 ? en(e2) : "", r3,
	    r3 < 0 ? en(errno) : "(EOF)");
	if (r2 >= 0)
		close(r2);
	close(c);
	close(l);

	/* E6: AF_UNIX accept address */
	{
		socklen_t ul;
		struct sockaddr_un u = sun_path("sp_e6", &ul);
		unlink("sp_e6");
		int us = socket(AF_UNIX, SOCK_STREAM, 0);
		if (bind(us, (struct sockaddr *)&u, ul) < 0 || listen(us, 5) < 0)
			die("e6");
		int uc = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(uc, (struct sockaddr *)&u, ul);
		struct sockaddr_un peer;
		memset(&peer, 0xAA, sizeof peer);
		socklen_t pl = sizeof peer;
		errno = 0;
		r = accept(us, (struct sockaddr *)&peer, &pl);
		rep("E6", "accept(unix listener, buf, &len=110) peer unbound", r, errno, "[addr=%s]", fmt_sa(&peer, pl));
		if (r >= 0) {
			rep("E6b", "getsockname(accepted unix)", 0, 0, "[%s]", sockname(r));
			close(r);
		}
		close(uc);
		close(us);
		unlink("sp_e6");
	}
}

/* ------------------------------------------------------------------ F */
static void probe_F(void)
{
	int fd, r, c, s, before;
	char buf[64];

	fd = tcp4();
	before = sigpipes;
	errno = 0;
	r = send(fd, "x", 1, MSG_NOSIGNAL);
	rep("F1", "send(unconnected tcp4,MSG_NOSIGNAL)", r, errno, "[SIGPIPE delivered=%d]", sigpipes - before);
	before = sigpipes;
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("F1b", "send(unconnected tcp4,0)", r, errno, "[SIGPIPE delivered=%d]", sigpipes - before);
	before = sigpipes;
	errno = 0;
	r = write(fd, "x", 1);
	rep("F1c", "write(unconnected tcp4)", r, errno, "[SIGPIPE delivered=%d]", sigpipes - before);
	struct sockaddr_in a = sin4("127.0.0.1", P_BASE + 40);
	before = sigpipes;
	errno = 0;
	r = sendto(fd, "x", 1, MSG_NOSIGNAL, (struct sockaddr *)&a, sizeof a);
	rep("F1d", "sendto(unconnected tcp4, 127.0.0.1:20040, MSG_NOSIGNAL)", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	errno = 0;
	r = send(fd, "", 0, MSG_NOSIGNAL);
	rep("F1e", "send(unconnected tcp4, len 0)", r, errno, NULL);

	errno = 0;
	r = recv(fd, buf, sizeof buf, 0);
	rep("F2", "recv(unconnected tcp4)", r, errno, NULL);
	errno = 0;
	r = recv(fd, buf, 0, 0);
	rep("F2b", "recv(unconnected tcp4, len 0)", r, errno, NULL);
	errno = 0;
	r = read(fd, buf, sizeof buf);
	rep("F2c", "read(unconnected tcp4)", r, errno, NULL);
	close(fd);
	{
		int l = tcp_listener(0, 8, NULL);
		errno = 0;
		r = recv(l, buf, sizeof buf, MSG_DONTWAIT);
		rep("F2d", "recv(listening tcp4)", r, errno, NULL);
		before = sigpipes;
		errno = 0;
		r = send(l, "x", 1, MSG_NOSIGNAL);
		rep("F2e", "send(listening tcp4,MSG_NOSIGNAL)", r, errno, "[SIGPIPE=%d]", sigpipes - before);
		close(l);
	}

	/* F3: send after own SHUT_WR */
	tcp_pair(&c, &s);
	shutdown(c, SHUT_WR);
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F3", "send(tcp4 after own shutdown(SHUT_WR),MSG_NOSIGNAL)", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, 0);
	rep("F3b", "send(same,0)", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	errno = 0;
	r = recv(s, buf, sizeof buf, 0);
	rep("F3c", "recv(peer of SHUT_WR side)", r, errno, NULL);
	errno = 0;
	r = send(s, "yz", 2, MSG_NOSIGNAL);
	rep("F3d", "send(peer -> SHUT_WR side)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F3e", "recv(SHUT_WR side) still receives", r, errno, NULL);
	errno = 0;
	r = shutdown(c, SHUT_WR);
	rep("F3f", "shutdown(same,SHUT_WR) again", r, errno, NULL);
	close(c);
	close(s);

	/* F3g: SHUT_RD then recv */
	tcp_pair(&c, &s);
	errno = 0;
	r = shutdown(c, SHUT_RD);
	rep("F3g", "shutdown(connected tcp4,SHUT_RD)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, MSG_DONTWAIT);
	rep("F3h", "recv(after own SHUT_RD, no data)", r, errno, NULL);
	send(s, "ab", 2, MSG_NOSIGNAL);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, MSG_DONTWAIT);
	rep("F3i", "recv(after own SHUT_RD, peer then sent 2 bytes)", r, errno, NULL);
	close(c);
	close(s);

	/* F4: recv after peer closed */
	tcp_pair(&c, &s);
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F4", "recv(tcp4, peer closed)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F4b", "recv(same) again", r, errno, NULL);
	/* F5: send after peer closed: first send ok, RST comes back */
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F5", "send(tcp4, peer closed, FIN received) 1st", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	settle();
	rep("F5a", "  (after RST arrives) getsockopt SO_ERROR not read; state probe", 0, 0,
	    "[getpeername=%s]", peername(c));
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F5b", "send(same) 2nd, after RST", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F5c", "send(same) 3rd", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F5d", "recv(same) after RST", r, errno, "[SO_ERROR=%s]", so_error_s(c));
	close(c);

	/* F5e: same but recv first after RST */
	tcp_pair(&c, &s);
	close(s);
	settle();
	send(c, "x", 1, MSG_NOSIGNAL);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F5e", "recv(tcp4 CLOSE_WAIT socket that got RST after sending)", r, errno, NULL);
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F5f", "send(same) afterwards", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	close(c);

	/* F6: recv on a socket that got RST (peer SO_LINGER{1,0}) */
	tcp_pair(&c, &s);
	struct linger lg = { 1, 0 };
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F6", "recv(tcp4 after peer RST)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F6b", "recv(same) again", r, errno, NULL);
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F6c", "send(same) after", r, errno, "[SIGPIPE=%d getpeername=%s]", sigpipes - before, peername(c));
	close(c);
	tcp_pair(&c, &s);
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	settle();
	{
		int e1 = so_error(c), e2 = so_error(c);
		rep("F6d", "getsockopt(SO_ERROR) twice after peer RST", 0, 0, "[1st SO_ERROR=%s 2nd=%s]",
		    e1 > 0 ? en(e1) : "0", e2 > 0 ? en(e2) : "0");
	}
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F6e", "recv(same) after SO_ERROR consumed", r, errno, NULL);
	close(c);
	tcp_pair(&c, &s);
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	settle();
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F6f", "send(tcp4 after peer RST) first op", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	close(c);
	/* data queued before the RST: is it readable? */
	tcp_pair(&c, &s);
	send(s, "abc", 3, MSG_NOSIGNAL);
	settle();
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F6g", "recv(tcp4 with 3 unread bytes, then peer RST)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F6h", "recv(same) again", r, errno, NULL);
	close(c);

	/* F7: shutdown on unconnected */
	fd = tcp4();
	errno = 0;
	r = shutdown(fd, SHUT_RDWR);
	rep("F7", "shutdown(unconnected tcp4,SHUT_RDWR)", r, errno, NULL);
	errno = 0;
	r = shutdown(fd, 3);
	rep("F7b", "shutdown(unconnected tcp4,3)", r, errno, NULL);
	errno = 0;
	r = shutdown(fd, -1);
	rep("F7c", "shutdown(unconnected tcp4,-1)", r, errno, NULL);
	close(fd);
	tcp_pair(&c, &s);
	errno = 0;
	r = shutdown(c, 3);
	rep("F7d", "shutdown(connected tcp4,3)", r, errno, NULL);
	close(c);
	close(s);
	{
		int l = tcp_listener(0, 8, NULL);
		errno = 0;
		r = shutdown(l, SHUT_RD);
		rep("F7e", "shutdown(listening tcp4,SHUT_RD)", r, errno, NULL);
		errno = 0;
		r = accept4(l, NULL, NULL, SOCK_NONBLOCK);
		rep("F7f", "accept(after shutdown of listener)", r, errno, NULL);
		close(l);
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	r = shutdown(fd, SHUT_RDWR);
	rep("F7g", "shutdown(unconnected udp4,SHUT_RDWR)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = shutdown(fd, SHUT_RDWR);
	rep("F7h", "shutdown(unconnected unix stream,SHUT_RDWR)", r, errno, NULL);
	errno = 0;
	r = shutdown(fd, 3);
	rep("F7i", "shutdown(unconnected unix stream,3)", r, errno, NULL);
	close(fd);

	/* F8: close with unread data -> RST */
	tcp_pair(&c, &s);
	send(c, "hello", 5, MSG_NOSIGNAL);
	settle();
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F8", "recv(peer closed with 5 unread bytes)", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F8b", "recv(same) again", r, errno, NULL);
	close(c);
	tcp_pair(&c, &s);
	send(c, "hello", 5, MSG_NOSIGNAL);
	settle();
	close(s);
	settle();
	before = sigpipes;
	errno = 0;
	r = send(c, "x", 1, MSG_NOSIGNAL);
	rep("F8c", "send(peer closed with unread bytes) first op", r, errno, "[SIGPIPE=%d]", sigpipes - before);
	close(c);
	/* shutdown(SHUT_RDWR) with unread data then close */
	tcp_pair(&c, &s);
	send(c, "hello", 5, MSG_NOSIGNAL);
	settle();
	shutdown(s, SHUT_RDWR);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F8d", "recv(peer did shutdown(SHUT_RDWR) with 5 unread bytes, not closed)", r, errno, NULL);
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, MSG_DONTWAIT);
	rep("F8e", "recv(same, peer then closed)", r, errno, NULL);
	close(c);

	/* F9: SO_LINGER {1,0} close */
	tcp_pair(&c, &s);
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	errno = 0;
	r = close(s);
	rep("F9", "close(tcp4 with SO_LINGER{1,0})", r, errno, NULL);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F9b", "recv(peer of linger-0 close)", r, errno, NULL);
	close(c);
	/* linger {1,0} on a socket after shutdown(SHUT_WR) FIN was sent */
	tcp_pair(&c, &s);
	shutdown(s, SHUT_WR);
	settle();
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	settle();
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F9c", "recv(peer: FIN then linger-0 close -> RST) 1st", r, errno, NULL);
	errno = 0;
	r = recv(c, buf, sizeof buf, 0);
	rep("F9d", "recv(same) 2nd", r, errno, "[SO_ERROR=%s]", so_error_s(c));
	close(c);
}

/* ------------------------------------------------------------------ G */
static void probe_G(void)
{
	int fd, r;
	char buf[16];
	struct sockaddr_in a = sin4("127.0.0.1", P_BASE + 50);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	set_rcvtimeo(fd, 500);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	rep("G1", "connect(udp4,127.0.0.1:20050 nobody bound)", r, errno, "[getsockname=%s]", sockname(fd));
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G1b", "send(udp4 connected) 1st", r, errno, NULL);
	settle();
	errno = 0;
	r = recv(fd, buf, sizeof buf, 0);
	rep("G1c", "recv(same)", r, errno, NULL);
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G1d", "recv(same,MSG_DONTWAIT) again", r, errno, NULL);
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G1e", "send(same) 2nd", r, errno, NULL);
	settle();
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G1f", "send(same) 3rd (ICMP from 2nd pending)", r, errno, NULL);
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G1g", "send(same) 4th", r, errno, NULL);
	settle();
	{
		int e1 = so_error(fd), e2 = so_error(fd);
		rep("G1h", "getsockopt(SO_ERROR) twice (ICMP from 4th pending)", 0, 0, "[1st SO_ERROR=%s 2nd=%s]",
		    e1 > 0 ? en(e1) : "0", e2 > 0 ? en(e2) : "0");
	}
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G1i", "recv(same,MSG_DONTWAIT) after SO_ERROR read", r, errno, NULL);
	/* write() and sendto() with explicit address on a connected udp socket */
	send(fd, "x", 1, 0);
	settle();
	struct sockaddr_in b = sin4("127.0.0.1", P_BASE + 51);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&b, sizeof b);
	rep("G1j", "sendto(connected udp4, other addr) with pending ICMP error", r, errno, NULL);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&b, sizeof b);
	rep("G1k", "sendto(connected udp4, other addr) again", r, errno, NULL);
	settle();
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G1l", "recv(connected udp4) after sendto to other unbound addr", r, errno, NULL);
	/* disconnect */
	struct sockaddr_in un = sin4("0.0.0.0", 0);
	un.sin_family = AF_UNSPEC;
	errno = 0;
	r = connect(fd, (struct sockaddr *)&un, sizeof un);
	rep("G1m", "connect(udp4 connected,{AF_UNSPEC})", r, errno, "[getpeername=%s getsockname=%s]",
	    peername(fd), sockname(fd));
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G1n", "send(udp4 after AF_UNSPEC disconnect)", r, errno, NULL);
	close(fd);

	/* G2: unconnected sendto */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	rep("G2", "sendto(unconnected udp4,127.0.0.1:20050 nobody bound)", r, errno, "[getsockname=%s]", sockname(fd));
	settle();
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G2b", "recv(same,MSG_DONTWAIT)", r, errno, NULL);
	rep("G2c", "getsockopt(same,SO_ERROR)", 0, 0, "[SO_ERROR=%s]", so_error_s(fd));
	errno = 0;
	r = send(fd, "x", 1, 0);
	rep("G2d", "send(unconnected udp4, no address)", r, errno, NULL);
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G2e", "recv(unconnected udp4, nothing queued)", r, errno, NULL);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
	sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	settle();
	errno = 0;
	r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G2f", "recv(unconnected udp4 with IP_RECVERR=1 after sendto unbound port)", r, errno, NULL);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	set_nonblock(fd);
	errno = 0;
	r = recv(fd, buf, sizeof buf, 0);
	rep("G2g", "recv(fresh unbound udp4 O_NONBLOCK)", r, errno, "[getsockname=%s]", sockname(fd));
	close(fd);

	/* G3: IPv6 */
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a6 = sin6("::1", P_BASE + 50);
	connect(fd, (struct sockaddr *)&a6, sizeof a6);
	errno = 0;
	r = send(fd, "x", 1, 0);
	settle();
	int r2 = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	rep("G3", "udp6 connect [::1]:20050, send; recv", r2, errno, "[send=%d]", r);
	close(fd);
}

/* ------------------------------------------------------------------ H */
static void peercred_child(const char *id, const char *call, int change_before)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		die("pipe");
	pid_t p = fork();
	if (p == 0) {
		int sv[2];
		struct ucred uc = { -1, 0, 0 };
		int res[6] = { 0 };
		close(pfd[0]);
		if (change_before)
			if (setresgid(-1, 1000, -1) < 0 || setresuid(-1, 1000, -1) < 0)
				_exit(3);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			_exit(4);
		if (!change_before)
			if (setresgid(-1, 1000, -1) < 0 || setresuid(-1, 1000, -1) < 0)
				_exit(3);
		socklen_t l = sizeof uc;
		res[0] = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &l);
		res[1] = errno;
		res[2] = uc.pid == getpid();
		res[3] = uc.uid;
		res[4] = uc.gid;
		res[5] = geteuid();
		if (write(pfd[1], res, sizeof res) != sizeof res)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	int res[6] = { -9 };
	if (read(pfd[0], res, sizeof res) != sizeof res)
		res[0] = -9;
	close(pfd[0]);
	waitpid(p, NULL, 0);
	rep(id, call, res[0], res[1], "[pid==self:%d uid=%d gid=%d; euid now=%d]", res[2], res[3], res[4], res[5]);
}

static void probe_H(void)
{
	int fd, fd2, r;
	socklen_t l;
	struct sockaddr_un u;

	unlink("sp_nonexist");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	u = sun_path("sp_nonexist", &l);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H1", "connect(unix stream,\"sp_nonexist\")", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	u = sun_abstract("sp_nonexist_abs", &l);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H1b", "connect(unix stream,@sp_nonexist_abs)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	u = sun_path("sp_nonexist", &l);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
	rep("H1c", "sendto(unix dgram,\"sp_nonexist\")", r, errno, NULL);
	u = sun_abstract("sp_nonexist_abs", &l);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
	rep("H1d", "sendto(unix dgram,@sp_nonexist_abs)", r, errno, NULL);
	close(fd);
	{
		int f = open("sp_regular", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		close(f);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		u = sun_path("sp_regular", &l);
		errno = 0;
		r = connect(fd, (struct sockaddr *)&u, l);
		rep("H1e", "connect(unix stream,\"sp_regular\" (a regular file))", r, errno, NULL);
		close(fd);
		unlink("sp_regular");
	}

	/* H2: stream connect to dgram path */
	unlink("sp_dgram");
	fd2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	u = sun_path("sp_dgram", &l);
	if (bind(fd2, (struct sockaddr *)&u, l) < 0)
		die("H2 bind");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H2", "connect(unix stream, path of bound unix dgram)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H2b", "connect(unix seqpacket, path of bound unix dgram)", r, errno, NULL);
	close(fd);
	close(fd2);
	unlink("sp_dgram");
	unlink("sp_stream");
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	u = sun_path("sp_stream", &l);
	if (bind(fd2, (struct sockaddr *)&u, l) < 0 || listen(fd2, 5) < 0)
		die("H2c bind");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H2c", "connect(unix dgram, path of listening unix stream)", r, errno, NULL);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
	rep("H2d", "sendto(unix dgram, path of listening unix stream)", r, errno, NULL);
	close(fd);
	close(fd2);
	unlink("sp_stream");
	{
		socklen_t la;
		struct sockaddr_un ua = sun_abstract("sp_abs_dg", &la);
		fd2 = socket(AF_UNIX, SOCK_DGRAM, 0);
		bind(fd2, (struct sockaddr *)&ua, la);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		errno = 0;
		r = connect(fd, (struct sockaddr *)&ua, la);
		rep("H2e", "connect(unix stream, abstract name bound only by a unix dgram)", r, errno, NULL);
		close(fd);
		close(fd2);
	}

	/* H3: bound, not listening */
	unlink("sp_nl");
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	u = sun_path("sp_nl", &l);
	bind(fd2, (struct sockaddr *)&u, l);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H3", "connect(unix stream, bound non-listening unix stream)", r, errno, NULL);
	close(fd);

	/* H4: bind to path held by live socket */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = bind(fd, (struct sockaddr *)&u, l);
	rep("H4", "bind(unix stream, path bound by a live socket)", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = bind(fd, (struct sockaddr *)&u, l);
	rep("H4b", "bind(unix dgram, path bound by a live stream socket)", r, errno, NULL);
	close(fd);
	/* H5: first socket closed, file remains */
	close(fd2);
	struct stat st;
	int exists = stat("sp_nl", &st) == 0 && S_ISSOCK(st.st_mode);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = bind(fd, (struct sockaddr *)&u, l);
	rep("H5", "bind(unix stream, stale path whose socket was closed)", r, errno, "[socket file existed=%d]", exists);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H5b", "connect(unix stream, stale path)", r, errno, NULL);
	close(fd);
	unlink("sp_nl");

	/* H5c: bind into nonexistent directory, path too long */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	u = sun_path("sp_nodir/x", &l);
	errno = 0;
	r = bind(fd, (struct sockaddr *)&u, l);
	rep("H5c", "bind(unix stream,\"sp_nodir/x\")", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un lu;
		memset(&lu, 'a', sizeof lu);
		lu.sun_family = AF_UNIX;
		errno = 0;
		r = bind(fd, (struct sockaddr *)&lu, sizeof lu + 1);
		rep("H5d", "bind(unix, addrlen sizeof(sockaddr_un)+1=111)", r, errno, NULL);
		errno = 0;
		r = bind(fd, (struct sockaddr *)&lu, 1);
		rep("H5e", "bind(unix, addrlen 1)", r, errno, NULL);
		lu.sun_family = AF_INET;
		errno = 0;
		r = bind(fd, (struct sockaddr *)&lu, 20);
		rep("H5f", "bind(unix, sun_family=AF_INET)", r, errno, NULL);
		/* full 108-byte path, not NUL-terminated: kernel terminates it */
		unlink("sp_long");
		memset(&lu, 0, sizeof lu);
		lu.sun_family = AF_UNIX;
		memset(lu.sun_path, 'b', sizeof lu.sun_path);
		memcpy(lu.sun_path, "sp_long", 7);
		errno = 0;
		r = bind(fd, (struct sockaddr *)&lu, sizeof lu);
		rep("H5g", "bind(unix, 108-byte path, no NUL, addrlen 110)", r, errno, "[getsockname len=%s]",
		    sockname(fd));
		if (r == 0) {
			char p[120];
			memcpy(p, lu.sun_path, 108);
			p[108] = 0;
			unlink(p);
		}
	}
	close(fd);

	/* H6: abstract collision */
	u = sun_abstract("sp_abs_h6", &l);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(fd, (struct sockaddr *)&u, l);
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = bind(fd2, (struct sockaddr *)&u, l);
	rep("H6", "bind(unix stream, @sp_abs_h6 already bound)", r, errno, NULL);
	close(fd2);
	fd2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = bind(fd2, (struct sockaddr *)&u, l);
	rep("H6b", "bind(unix dgram, @sp_abs_h6 bound by a stream socket)", r, errno, NULL);
	close(fd2);
	close(fd);
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	r = bind(fd2, (struct sockaddr *)&u, l);
	rep("H6c", "bind(unix stream, @sp_abs_h6 after holder closed)", r, errno, NULL);
	close(fd2);
	{
		/* abstract names are length-sensitive: "@x" vs "@x\0" */
		socklen_t l2;
		struct sockaddr_un u2 = sun_abstract("sp_abs_h6d", &l2);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		bind(fd, (struct sockaddr *)&u2, l2);
		fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
		errno = 0;
		r = bind(fd2, (struct sockaddr *)&u2, l2 + 1);
		rep("H6d", "bind(@sp_abs_h6d with addrlen+1 (trailing NUL)) while @sp_abs_h6d bound", r, errno,
		    "[getsockname=%s]", sockname(fd2));
		close(fd2);
		close(fd);
	}

	/* H7: full backlog */
	unlink("sp_bl");
	u = sun_path("sp_bl", &l);
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(fd2, (struct sockaddr *)&u, l);
	listen(fd2, 1);
	{
		int cs[6], i;
		char out[256] = "";
		for (i = 0; i < 4; i++) {
			cs[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
			errno = 0;
			r = connect(cs[i], (struct sockaddr *)&u, l);
			size_t n = strlen(out);
			snprintf(out + n, sizeof out - n, " #%d=%d%s%s", i + 1, r, r < 0 ? " " : "", r < 0 ? en(errno) : "");
		}
		rep("H7", "connect(unix stream O_NONBLOCK) x4 to listener listen(fd,1), never accepted", 0, 0, "[%s ]", out);
		for (i = 0; i < 4; i++)
			close(cs[i]);
	}
	close(fd2);
	unlink("sp_bl");
	fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(fd2, (struct sockaddr *)&u, l);
	listen(fd2, 0);
	{
		int cs[3], i;
		char out[256] = "";
		for (i = 0; i < 3; i++) {
			cs[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
			errno = 0;
			r = connect(cs[i], (struct sockaddr *)&u, l);
			size_t n = strlen(out);
			snprintf(out + n, sizeof out - n, " #%d=%d%s%s", i + 1, r, r < 0 ? " " : "", r < 0 ? en(errno) : "");
		}
		rep("H7b", "connect(unix stream O_NONBLOCK) x3 to listener listen(fd,0)", 0, 0, "[%s ]", out);
		for (i = 0; i < 3; i++)
			close(cs[i]);
	}
	close(fd2);
	unlink("sp_bl");

	/* H8: dgram sendto closed socket's path */
	unlink("sp_dg8");
	u = sun_path("sp_dg8", &l);
	fd2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(fd2, (struct sockaddr *)&u, l);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
	rep("H8a", "sendto(unix dgram, live bound dgram path)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H8b", "connect(unix dgram, live bound dgram path)", r, errno, NULL);
	close(fd2);
	errno = 0;
	r = send(fd, "x", 1, MSG_NOSIGNAL);
	rep("H8c", "send(unix dgram connected, peer closed)", r, errno, NULL);
	errno = 0;
	r = send(fd, "x", 1, MSG_NOSIGNAL);
	rep("H8d", "send(same) again", r, errno, NULL);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	errno = 0;
	r = sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
	rep("H8", "sendto(unix dgram, path whose socket was closed)", r, errno, NULL);
	errno = 0;
	r = connect(fd, (struct sockaddr *)&u, l);
	rep("H8e", "connect(unix dgram, path whose socket was closed)", r, errno, NULL);
	close(fd);
	unlink("sp_dg8");

	/* H8f: dgram receive queue full (non-blocking sender) */
	{
		socklen_t l3;
		struct sockaddr_un u3 = sun_abstract("sp_dg8f", &l3);
		int rx = socket(AF_UNIX, SOCK_DGRAM, 0);
		bind(rx, (struct sockaddr *)&u3, l3);
		int tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		int i, last = 0, e = 0;
		for (i = 0; i < 100000; i++) {
			errno = 0;
			last = sendto(tx, "x", 1, 0, (struct sockaddr *)&u3, l3);
			if (last < 0) {
				e = errno;
				break;
			}
		}
		int maxdg = -1;
		FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
		if (f) {
			if (fscanf(f, "%d", &maxdg) != 1)
				maxdg = -1;
			fclose(f);
		}
		rep("H8f", "sendto(unix dgram O_NONBLOCK) until failure, receiver never reads", last, e,
		    "[succeeded=%d max_dgram_qlen=%d]", i, maxdg);
		close(tx);
		close(rx);
	}

	/* H9: SO_PEERCRED captured when? */
	peercred_child("H9", "getsockopt(SO_PEERCRED) on socketpair made as euid 0, then seteuid(1000)", 0);
	peercred_child("H9b", "getsockopt(SO_PEERCRED) on socketpair made after seteuid(1000)", 1);
	{
		/* connect/accept: credentials of the connecting / listening process */
		unlink("sp_h9");
		socklen_t l9;
		struct sockaddr_un u9 = sun_path("sp_h9", &l9);
		int ls = socket(AF_UNIX, SOCK_STREAM, 0);
		bind(ls, (struct sockaddr *)&u9, l9);
		listen(ls, 5);
		int cl = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(cl, (struct sockaddr *)&u9, l9);
		int ac = accept(ls, NULL, NULL);
		struct ucred uc;
		socklen_t ul = sizeof uc;
		r = getsockopt(ac, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
		rep("H9c", "getsockopt(accepted unix stream,SO_PEERCRED)", r, errno, "[pid==self:%d uid=%d gid=%d len=%u]",
		    uc.pid == getpid(), uc.uid, uc.gid, ul);
		ul = sizeof uc;
		r = getsockopt(ls, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
		rep("H9d", "getsockopt(listening unix stream,SO_PEERCRED)", r, errno, "[pid==self:%d uid=%d gid=%d len=%u]",
		    uc.pid == getpid(), uc.uid, uc.gid, ul);
		close(ac);
		close(cl);
		close(ls);
		unlink("sp_h9");
		int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
		ul = sizeof uc;
		memset(&uc, 0x55, sizeof uc);
		errno = 0;
		r = getsockopt(dg, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
		rep("H9e", "getsockopt(unconnected unix dgram,SO_PEERCRED)", r, errno, "[pid=%d uid=%d gid=%d len=%u]",
		    uc.pid, (int)uc.uid, (int)uc.gid, ul);
		close(dg);
	}
}

/* ------------------------------------------------------------------ I */
static void probe_I(void)
{
	int fd, r;
	socklen_t l;
	unsigned char b[32];

	fd = tcp4();
	int v = -1;
	l = sizeof v;
	errno = 0;
	r = getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l);
	rep("I1", "getsockopt(tcp4,SOL_SOCKET,SO_TYPE,&int,&4)", r, errno, "[val=%d len=%u]", v, l);
	v = -1;
	l = sizeof v;
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	r = getsockopt(u, SOL_SOCKET, SO_TYPE, &v, &l);
	rep("I1b", "getsockopt(udp4,SO_TYPE)", r, errno, "[val=%d len=%u]", v, l);
	close(u);

	v = -1;
	l = 4;
	errno = 0;
	r = getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &l);
	rep("I2", "getsockopt(tcp4,SO_ERROR,optlen 4)", r, errno, "[val=%d len=%u]", v, l);
	memset(b, 0xAA, sizeof b);
	l = 2;
	errno = 0;
	r = getsockopt(fd, SOL_SOCKET, SO_ERROR, b, &l);
	rep("I3", "getsockopt(tcp4,SO_ERROR,optlen 2) no error pending", r, errno,
	    "[len=%u bytes=%02x %02x %02x %02x]", l, b[0], b[1], b[2], b[3]);
	/* with a pending error: UDP ECONNREFUSED */
	{
		u = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in a = sin4("127.0.0.1", P_BASE + 60);
		connect(u, (struct sockaddr *)&a, sizeof a);
		send(u, "x", 1, 0);
		settle();
		memset(b, 0xAA, sizeof b);
		l = 2;
		errno = 0;
		r = getsockopt(u, SOL_SOCKET, SO_ERROR, b, &l);
		rep("I3b", "getsockopt(udp4,SO_ERROR,optlen 2) ECONNREFUSED(111) pending", r, errno,
		    "[len=%u bytes=%02x %02x %02x %02x; SO_ERROR after=%s]", l, b[0], b[1], b[2], b[3], so_error_s(u));
		send(u, "x", 1, 0);
		settle();
		l = 0;
		memset(b, 0xAA, sizeof b);
		errno = 0;
		r = getsockopt(u, SOL_SOCKET, SO_ERROR, b, &l);
		rep("I3c", "getsockopt(udp4,SO_ERROR,optlen 0) error pending", r, errno,
		    "[len=%u byte0=%02x; SO_ERROR after=%s]", l, b[0], so_error_s(u));
		l = 8;
		memset(b, 0xAA, sizeof b);
		errno = 0;
		r = getsockopt(u, SOL_SOCKET, SO_TYPE, b, &l);
		rep("I3d", "getsockopt(udp4,SO_TYPE,optlen 8)", r, errno,
		    "[len=%u bytes=%02x %02x %02x %02x %02x]", l, b[0], b[1], b[2], b[3], b[4]);
		l = (socklen_t)-1;
		errno = 0;
		r = getsockopt(u, SOL_SOCKET, SO_TYPE, b, &l);
		rep("I3e", "getsockopt(udp4,SO_TYPE,optlen -1)", r, errno, NULL);
		close(u);
	}

	{
		int sv[2];
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		memset(b, 0xAA, sizeof b);
		l = 4;
		errno = 0;
		r = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, b, &l);
		int pid4;
		memcpy(&pid4, b, 4);
		rep("I4", "getsockopt(socketpair,SO_PEERCRED,optlen 4)", r, errno,
		    "[len=%u first4==pid:%d byte4=%02x]", l, pid4 == getpid(), b[4]);
		memset(b, 0xAA, sizeof b);
		l = 20;
		errno = 0;
		r = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, b, &l);
		struct ucred uc;
		memcpy(&uc, b, sizeof uc);
		rep("I4b", "getsockopt(socketpair,SO_PEERCRED,optlen 20)", r, errno,
		    "[len=%u pid==self:%d uid=%d gid=%d bytes12..15=%02x%02x%02x%02x]", l, uc.pid == getpid(), uc.uid, uc.gid,
		    b[12], b[13], b[14], b[15]);
		l = 0;
		errno = 0;
		r = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, b, &l);
		rep("I4c", "getsockopt(socketpair,SO_PEERCRED,optlen 0)", r, errno, "[len=%u]", l);
		close(sv[0]);
		close(sv[1]);
		memset(b, 0x55, sizeof b);
		l = 12;
		errno = 0;
		r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, b, &l);
		memcpy(&uc, b, sizeof uc);
		rep("I4d", "getsockopt(tcp4,SO_PEERCRED,optlen 12)", r, errno, "[len=%u pid=%d uid=%d gid=%d]", l, uc.pid,
		    (int)uc.uid, (int)uc.gid);
	}

	l = sizeof v;
	errno = 0;
	r = getsockopt(fd, SOL_SOCKET, 9999, &v, &l);
	rep("I5", "getsockopt(tcp4,SOL_SOCKET,9999)", r, errno, NULL);
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, 9999, &v, sizeof v);
	rep("I5b", "setsockopt(tcp4,SOL_SOCKET,9999)", r, errno, NULL);
	errno = 0;
	r = getsockopt(fd, IPPROTO_TCP, 9999, &v, &l);
	rep("I5c", "getsockopt(tcp4,IPPROTO_TCP,9999)", r, errno, NULL);
	errno = 0;
	v = 1;
	r = setsockopt(fd, SOL_SOCKET, SO_ERROR, &v, sizeof v);
	rep("I5d", "setsockopt(tcp4,SOL_SOCKET,SO_ERROR) (read-only option)", r, errno, NULL);
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, SO_TYPE, &v, sizeof v);
	rep("I5e", "setsockopt(tcp4,SOL_SOCKET,SO_TYPE)", r, errno, NULL);

	const struct { const char *n; int d, t; } kinds[] = {
		{ "tcp4", AF_INET, SOCK_STREAM }, { "udp4", AF_INET, SOCK_DGRAM },
		{ "tcp6", AF_INET6, SOCK_STREAM }, { "unix stream", AF_UNIX, SOCK_STREAM },
		{ "unix dgram", AF_UNIX, SOCK_DGRAM },
	};
	for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int s = socket(kinds[k].d, kinds[k].t, 0);
		char id[8], call[96];
		l = sizeof v;
		snprintf(id, sizeof id, "I6%c", 'a' + k);
		snprintf(call, sizeof call, "getsockopt(%s,level 12345,1)", kinds[k].n);
		errno = 0;
		r = getsockopt(s, 12345, 1, &v, &l);
		int e = errno;
		errno = 0;
		int r2 = setsockopt(s, 12345, 1, &v, sizeof v);
		rep(id, call, r, e, "[setsockopt same: %d %s]", r2, r2 < 0 ? en(errno) : "");
		close(s);
	}

	int nf = open("/dev/null", O_RDONLY);
	l = sizeof v;
	errno = 0;
	r = getsockopt(nf, SOL_SOCKET, SO_TYPE, &v, &l);
	rep("I7", "getsockopt(/dev/null fd,SO_TYPE)", r, errno, NULL);
	errno = 0;
	r = setsockopt(nf, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
	rep("I7b", "setsockopt(/dev/null fd,SO_REUSEADDR)", r, errno, NULL);
	close(nf);
	errno = 0;
	r = getsockopt(999, SOL_SOCKET, SO_TYPE, &v, &l);
	rep("I7c", "getsockopt(unused fd 999,SO_TYPE)", r, errno, NULL);
	{
		int pp[2];
		if (pipe(pp) == 0) {
			errno = 0;
			r = getsockopt(pp[0], SOL_SOCKET, SO_TYPE, &v, &l);
			rep("I7d", "getsockopt(pipe fd,SO_TYPE)", r, errno, NULL);
			close(pp[0]);
			close(pp[1]);
		}
	}

	struct linger lg = { 1, 5 };
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, 4);
	rep("I8", "setsockopt(tcp4,SO_LINGER,optlen 4)", r, errno, NULL);
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, 7);
	rep("I8b", "setsockopt(tcp4,SO_LINGER,optlen 7)", r, errno, NULL);
	{
		struct { struct linger lg; int pad[2]; } big = { { 1, 5 }, { 0, 0 } };
		errno = 0;
		r = setsockopt(fd, SOL_SOCKET, SO_LINGER, &big, 16);
		rep("I8c", "setsockopt(tcp4,SO_LINGER,optlen 16)", r, errno, NULL);
	}
	struct linger g = { -1, -1 };
	l = sizeof g;
	r = getsockopt(fd, SOL_SOCKET, SO_LINGER, &g, &l);
	rep("I8d", "getsockopt(tcp4,SO_LINGER)", r, errno, "[l_onoff=%d l_linger=%d len=%u]", g.l_onoff, g.l_linger, l);
	lg.l_onoff = 7;
	lg.l_linger = 3;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	l = sizeof g;
	r = getsockopt(fd, SOL_SOCKET, SO_LINGER, &g, &l);
	rep("I8e", "getsockopt(SO_LINGER) after set {7,3}", r, errno, "[l_onoff=%d l_linger=%d]", g.l_onoff, g.l_linger);
	short sh = 1;
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &sh, 2);
	rep("I8f", "setsockopt(tcp4,SO_REUSEADDR,optlen 2)", r, errno, NULL);
	v = 1;
	errno = 0;
	r = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 0);
	rep("I8g", "setsockopt(tcp4,SO_REUSEADDR,optlen 0)", r, errno, NULL);
	v = 5;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
	l = sizeof v;
	v = -1;
	r = getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &l);
	rep("I8h", "getsockopt(SO_REUSEADDR) after set 5", r, errno, "[val=%d]", v);
	close(fd);
}

/* ------------------------------------------------------------------ J */
static void probe_J(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), r;
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);

	errno = 0;
	r = dup3(fd, fd, 0);
	rep("J1", "dup3(fd,fd,0)", r, errno, NULL);
	errno = 0;
	r = dup3(fd, fd, O_CLOEXEC);
	rep("J1b", "dup3(fd,fd,O_CLOEXEC)", r, errno, NULL);
	errno = 0;
	r = dup3(fd, 200, 12345);
	rep("J1c", "dup3(fd,200,12345)", r, errno, NULL);
	errno = 0;
	r = dup2(fd, fd);
	rep("J1d", "dup2(fd,fd)", r, errno, "[ret==fd:%d]", r == fd);
	errno = 0;
	r = dup2(fd, 100000);
	rep("J2", "dup2(fd,100000)", r, errno, "[RLIMIT_NOFILE cur=%llu]", (unsigned long long)rl.rlim_cur);
	errno = 0;
	r = dup2(999, 998);
	rep("J2b", "dup2(999 unused,998)", r, errno, NULL);
	errno = 0;
	r = dup2(999, 999);
	rep("J2c", "dup2(999 unused,999)", r, errno, NULL);
	errno = 0;
	r = dup2(fd, -1);
	rep("J2d", "dup2(fd,-1)", r, errno, NULL);
	errno = 0;
	r = close(-1);
	rep("J3", "close(-1)", r, errno, NULL);
	errno = 0;
	r = close(999);
	rep("J3b", "close(999 unused)", r, errno, NULL);
	close(fd);

	unlink("sp_j4");
	socklen_t l;
	struct sockaddr_un u = sun_path("sp_j4", &l);
	int us = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(us, (struct sockaddr *)&u, l);
	listen(us, 5);
	int op = open("sp_j4", O_PATH);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	errno = 0;
	r = getpeername(op, (struct sockaddr *)&ss, &sl);
	rep("J4", "getpeername(O_PATH fd of unix socket file)", r, errno, "[open O_PATH fd ok:%d]", op >= 0);
	sl = sizeof ss;
	errno = 0;
	r = getsockname(op, (struct sockaddr *)&ss, &sl);
	rep("J4b", "getsockname(O_PATH fd of unix socket file)", r, errno, NULL);
	int v;
	socklen_t vl = sizeof v;
	errno = 0;
	r = getsockopt(op, SOL_SOCKET, SO_TYPE, &v, &vl);
	rep("J4c", "getsockopt(O_PATH fd of unix socket file,SO_TYPE)", r, errno, NULL);
	close(op);
	errno = 0;
	r = open("sp_j4", O_RDWR);
	rep("J4d", "open(unix socket file,O_RDWR)", r, errno, NULL);
	if (r >= 0)
		close(r);
	int nf = open("/dev/null", O_RDONLY);
	sl = sizeof ss;
	errno = 0;
	r = getpeername(nf, (struct sockaddr *)&ss, &sl);
	rep("J4e", "getpeername(/dev/null fd)", r, errno, NULL);
	close(nf);
	errno = 0;
	r = getpeername(us, (struct sockaddr *)&ss, &sl);
	rep("J4f", "getpeername(listening unix stream)", r, errno, NULL);
	fd = tcp4();
	errno = 0;
	sl = sizeof ss;
	r = getpeername(fd, (struct sockaddr *)&ss, &sl);
	rep("J4g", "getpeername(unconnected tcp4)", r, errno, NULL);
	sl = sizeof ss;
	memset(&ss, 0xAA, sizeof ss);
	errno = 0;
	r = getsockname(fd, (struct sockaddr *)&ss, &sl);
	rep("J4h", "getsockname(unbound tcp4)", r, errno, "[%s]", fmt_sa(&ss, sl));
	close(fd);
	{
		/* negative length: written back or left alone? */
		int c, s2;
		tcp_pair(&c, &s2);
		int len = -1;
		memset(&ss, 0xAA, sizeof ss);
		errno = 0;
		r = getpeername(c, (struct sockaddr *)&ss, (socklen_t *)&len);
		rep("J4i", "getpeername(connected tcp4, &len=-1)", r, errno, "[len afterwards=%d byte0=%02x]", len,
		    ((unsigned char *)&ss)[0]);
		len = -1;
		errno = 0;
		r = getsockname(c, (struct sockaddr *)&ss, (socklen_t *)&len);
		rep("J4j", "getsockname(connected tcp4, &len=-1)", r, errno, "[len afterwards=%d]", len);
		len = 0;
		errno = 0;
		r = getsockname(c, (struct sockaddr *)&ss, (socklen_t *)&len);
		rep("J4k", "getsockname(connected tcp4, &len=0)", r, errno, "[len afterwards=%d byte0=%02x]", len,
		    ((unsigned char *)&ss)[0]);
		close(c);
		close(s2);
	}
	close(us);
	unlink("sp_j4");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigpipe;
	sigaction(SIGPIPE, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	const char *which = argc > 1 ? argv[1] : "ABCDEFGHIJ";
	for (const char *p = which; *p; p++) {
		switch (*p) {
		case 'A': probe_A(); break;
		case 'B': probe_B(); break;
		case 'C': probe_C(); break;
		case 'D': probe_D(); break;
		case 'E': probe_E(); break;
		case 'F': probe_F(); break;
		case 'G': probe_G(); break;
		case 'H': probe_H(); break;
		case 'I': probe_I(); break;
		case 'J': probe_J(); break;
		}
	}
	return 0;
}
