// File: docs/semantics/linux-probes-memory.c
// Probe for what Linux does when a socket call's buffer is partly unmapped or out of user
// space, and for the UDP send checks (linux-measured.md, K). Run as root in a fresh network
// namespace:  gcc -o probe linux-probes-memory.c && unshare -n sh -c 'ip link set lo up && ./probe'
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
static void more(void);
int main(){
  // page layout: one mapped page followed by an unmapped one
  char *m = mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  munmap(m+4096, 4096);
  char *edge = m + 4096 - 4; // 4 mapped bytes before the hole
  memcpy(edge, "abcd", 4);
  // UDP
  int r = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family=AF_INET, .sin_port=htons(9999), .sin_addr.s_addr=htonl(0x7f000001)};
  bind(r, (void*)&a, sizeof a);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  sendto(s, "one", 3, 0, (void*)&a, sizeof a);
  sendto(s, "two", 3, 0, (void*)&a, sizeof a);
  ssize_t n = recv(r, edge, 10, 0);
  printf("udp recv into 4 mapped bytes: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  char buf[16]={0};
  n = recv(r, buf, 16, MSG_DONTWAIT);
  printf("udp next recv: %zd '%.*s'\n", n, (int)(n>0?n:0), buf);
  // UDP send from straddling buffer
  n = sendto(s, edge, 10, 0, (void*)&a, sizeof a);
  printf("udp send straddling: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = sendto(s, edge, 2000000000, 0, (void*)&a, sizeof a);
  printf("udp send huge: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = sendto(s, "x", 1, 0, (void*)&a, 0);
  printf("udp sendto with addr len 0: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = sendto(-1, (void*)0xffffffffffff0000ULL, 10, 0, NULL, 0);
  printf("sendto(-1, kernel addr): %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = sendto(-1, (void*)0x1000, 10, 0, NULL, 0);
  printf("sendto(-1, unmapped user addr): %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  // TCP
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in t = {.sin_family=AF_INET, .sin_port=htons(7777), .sin_addr.s_addr=htonl(0x7f000001)};
  bind(l, (void*)&t, sizeof t); listen(l, 5);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (void*)&t, sizeof t);
  int acc = accept(l, NULL, NULL);
  n = send(c, edge, 10, 0);
  printf("tcp send straddling (4 mapped): %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = send(c, edge + 4, 10, 0);
  printf("tcp send unmapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = send(c, m, 2000000000ULL, MSG_DONTWAIT);
  printf("tcp send huge from 4092 mapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  usleep(100000);
  send(c, "hello", 5, 0); usleep(100000);
  n = recv(acc, m+4096-2, 100, 0);  // 2 bytes room before hole
  printf("tcp recv into 2 mapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = recv(acc, buf, 16, MSG_DONTWAIT);
  printf("tcp next recv: %zd '%.*s'\n", n, (int)(n>0?n:0), buf);
  // unix stream
  int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  send(sv[0], "hello", 5, 0);
  n = recv(sv[1], m+4096-2, 100, 0);
  printf("unix recv into 2 mapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = recv(sv[1], buf, 16, MSG_DONTWAIT);
  printf("unix next recv: %zd '%.*s'\n", n, (int)(n>0?n:0), buf);
  n = send(sv[0], edge, 10, 0);
  printf("unix stream send straddling: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  close(sv[1]);
  n = send(sv[0], edge+4, 10, MSG_NOSIGNAL);
  printf("unix stream send unmapped to closed peer: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  int dv[2]; socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
  send(dv[0], "one", 3, 0); send(dv[0], "two", 3, 0);
  n = recv(dv[1], m+4096-1, 100, 0);
  printf("unix dgram recv into 1 mapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = recv(dv[1], buf, 16, MSG_DONTWAIT);
  printf("unix dgram next: %zd '%.*s'\n", n, (int)(n>0?n:0), buf);
  int u = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un un = {.sun_family=AF_UNIX, .sun_path="/nonexistent/x"};
  n = sendto(u, edge+4, 10, 0, (void*)&un, sizeof un);
  printf("unix dgram sendto missing name with bad buf: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  n = sendto(u, "x", 1, 0, (void*)&un, sizeof un);
  printf("unix dgram sendto missing name: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  listen(l,-1);
  more();
  return 0;
}

// One byte mapped for a UDP datagram; a large TCP send that faults after 2 MiB.
static void more(void){
  char *m = mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  munmap(m+4096, 4096);
  int r = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family=AF_INET, .sin_port=htons(9998), .sin_addr.s_addr=htonl(0x7f000001)};
  bind(r, (void*)&a, sizeof a);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  sendto(s, "one", 3, 0, (void*)&a, sizeof a);
  sendto(s, "two", 3, 0, (void*)&a, sizeof a);
  ssize_t n = recv(r, m+4095, 10, 0);
  printf("udp recv into 1 mapped: %zd errno %s byte=%c\n", n, n<0?strerrorname_np(errno):"-", m[4095]);
  char buf[16]={0};
  n = recv(r, buf, 16, MSG_DONTWAIT);
  printf("udp next recv: %zd '%.*s'\n", n, (int)(n>0?n:0), buf);
  // TCP: large readable then fault: partial?
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in t = {.sin_family=AF_INET, .sin_port=htons(7778), .sin_addr.s_addr=htonl(0x7f000001)};
  bind(l, (void*)&t, sizeof t); listen(l, 5);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, (void*)&t, sizeof t);
  char *big = mmap(NULL, 1<<22, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  munmap(big + (1<<21), 1<<21);
  n = send(c, big, 1<<22, MSG_DONTWAIT);
  printf("tcp send 4MB with 2MB mapped: %zd errno %s\n", n, n<0?strerrorname_np(errno):"-");
  }

