// File: tools/personality/linux/host/host_wire.cc
// Frames and messages of the host agent protocol.
#include "tools/personality/linux/host/host_wire.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace socksim::tools::host {
namespace {

class Writer {
 public:
  void U8(std::uint8_t v) { out_.push_back(v); }
  void U32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void U64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void Bytes(const std::vector<std::uint8_t>& b) {
    U32(static_cast<std::uint32_t>(b.size()));
    out_.insert(out_.end(), b.begin(), b.end());
  }
  std::vector<std::uint8_t> Take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(const std::vector<std::uint8_t>& in) : in_(in) {}
  bool U8(std::uint8_t* v) {
    if (pos_ + 1 > in_.size()) return false;
    *v = in_[pos_++];
    return true;
  }
  bool U32(std::uint32_t* v) {
    if (pos_ + 4 > in_.size()) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) *v |= std::uint32_t{in_[pos_ + i]} << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(std::uint64_t* v) {
    if (pos_ + 8 > in_.size()) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v |= std::uint64_t{in_[pos_ + i]} << (8 * i);
    pos_ += 8;
    return true;
  }
  bool Bytes(std::vector<std::uint8_t>* b, std::uint32_t max) {
    std::uint32_t n = 0;
    if (!U32(&n) || n > max || pos_ + n > in_.size()) return false;
    b->assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  const std::vector<std::uint8_t>& in_;
  std::size_t pos_ = 0;
};

int RemainingMs(std::int64_t deadline_ms) {
  if (deadline_ms < 0) return -1;
  const std::int64_t left = deadline_ms - NowMs();
  if (left <= 0) return 0;
  return left > 1000000 ? 1000000 : static_cast<int>(left);
}

}  // namespace

std::int64_t NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::vector<std::uint8_t> TrimZeros(std::span<const std::uint8_t> bytes) {
  std::size_t n = bytes.size();
  while (n > 0 && bytes[n - 1] == 0) --n;
  return std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
}

std::vector<std::uint8_t> EncodeRequest(const Request& r) {
  Writer w;
  w.U8(static_cast<std::uint8_t>(r.op));
  w.U64(static_cast<std::uint64_t>(r.nr));
  for (const std::int64_t a : r.args) w.U64(static_cast<std::uint64_t>(a));
  w.U32(static_cast<std::uint32_t>(r.regions.size()));
  for (const auto& region : r.regions) {
    w.U64(region.address);
    w.U64(region.size);
    w.U8(region.prot);
    w.Bytes(region.init);
  }
  w.U32(static_cast<std::uint32_t>(r.status));
  return w.Take();
}

std::optional<Request> DecodeRequest(const std::vector<std::uint8_t>& bytes, std::string* error) {
  Reader rd(bytes);
  Request r;
  std::uint8_t op = 0;
  std::uint64_t nr = 0;
  std::uint32_t nregions = 0;
  auto bad = [&](const char* what) -> std::optional<Request> {
    *error = std::string("malformed request: ") + what;
    return std::nullopt;
  };
  if (!rd.U8(&op) || op < 1 || op > 3) return bad("operation");
  r.op = static_cast<Op>(op);
  if (!rd.U64(&nr)) return bad("number");
  r.nr = static_cast<std::int64_t>(nr);
  for (auto& a : r.args) {
    std::uint64_t v = 0;
    if (!rd.U64(&v)) return bad("argument");
    a = static_cast<std::int64_t>(v);
  }
  if (!rd.U32(&nregions) || nregions > kMaxRegions) return bad("region count");
  std::uint64_t end_of_previous = kLowestRegion;
  for (std::uint32_t i = 0; i < nregions; ++i) {
    WireRegion region;
    if (!rd.U64(&region.address) || !rd.U64(&region.size) || !rd.U8(&region.prot)) return bad("region");
    if (region.address % kRegionPage != 0 || region.size % kRegionPage != 0 || region.size == 0 ||
        region.size > kMaxRegionSize || region.prot > (kRegionRead | kRegionWrite)) {
      return bad("region shape");
    }
    // Ascending and disjoint, inside the range reserved for them.
    if (region.address < end_of_previous || region.address + region.size > kHighestRegion) {
      return bad("region address");
    }
    end_of_previous = region.address + region.size;
    if (!rd.Bytes(&region.init, static_cast<std::uint32_t>(region.size))) return bad("region contents");
    r.regions.push_back(std::move(region));
  }
  std::uint32_t status = 0;
  if (!rd.U32(&status) || !rd.AtEnd()) return bad("trailer");
  r.status = static_cast<std::int32_t>(status);
  return r;
}

std::vector<std::uint8_t> EncodeReply(const Reply& r) {
  Writer w;
  w.Bytes(std::vector<std::uint8_t>(r.agent_error.begin(), r.agent_error.end()));
  w.U64(static_cast<std::uint64_t>(r.ret));
  w.U32(static_cast<std::uint32_t>(r.err));
  w.U32(static_cast<std::uint32_t>(r.regions.size()));
  for (const auto& b : r.regions) w.Bytes(b);
  return w.Take();
}

std::optional<Reply> DecodeReply(const std::vector<std::uint8_t>& bytes, std::string* error) {
  Reader rd(bytes);
  Reply r;
  std::vector<std::uint8_t> text;
  std::uint64_t ret = 0;
  std::uint32_t err = 0;
  std::uint32_t nregions = 0;
  if (!rd.Bytes(&text, 4096) || !rd.U64(&ret) || !rd.U32(&err) || !rd.U32(&nregions) || nregions > kMaxRegions) {
    *error = "malformed reply from the host agent";
    return std::nullopt;
  }
  r.agent_error.assign(text.begin(), text.end());
  r.ret = static_cast<std::int64_t>(ret);
  r.err = static_cast<std::int32_t>(err);
  for (std::uint32_t i = 0; i < nregions; ++i) {
    std::vector<std::uint8_t> b;
    if (!rd.Bytes(&b, static_cast<std::uint32_t>(kMaxRegionSize))) {
      *error = "malformed reply region from the host agent";
      return std::nullopt;
    }
    r.regions.push_back(std::move(b));
  }
  if (!rd.AtEnd()) {
    *error = "trailing bytes in a reply from the host agent";
    return std::nullopt;
  }
  return r;
}

bool WriteFrame(int fd, const std::vector<std::uint8_t>& payload, int pass_fd, std::int64_t deadline_ms,
                std::string* error) {
  if (payload.size() > kMaxFrame) {
    *error = "request too large for the host agent";
    return false;
  }
  std::vector<std::uint8_t> frame(4 + payload.size());
  const auto n = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) frame[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  if (!payload.empty()) std::memcpy(frame.data() + 4, payload.data(), payload.size());
  std::size_t sent = 0;
  bool fd_sent = pass_fd < 0;
  while (sent < frame.size()) {
    pollfd p{fd, POLLOUT, 0};
    const int ready = poll(&p, 1, RemainingMs(deadline_ms));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      *error = ready == 0 ? "timed out writing to the host agent" : std::string("poll: ") + std::strerror(errno);
      return false;
    }
    iovec iov{frame.data() + sent, frame.size() - sent};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (!fd_sent) {
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      cmsghdr* c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
    }
    const ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      *error = errno == EPIPE || errno == ECONNRESET ? "the host process has gone away"
                                                     : std::string("sendmsg: ") + std::strerror(errno);
      return false;
    }
    fd_sent = true;
    sent += static_cast<std::size_t>(w);
  }
  return true;
}

bool WaitReadable(int fd, std::int64_t deadline_ms) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, RemainingMs(deadline_ms));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

ReadStatus ReadFrame(int fd, std::vector<std::uint8_t>* payload, int* passed_fd, std::int64_t deadline_ms,
                     std::string* error) {
  if (passed_fd) *passed_fd = -1;
  std::uint8_t header[4];
  std::size_t got = 0;
  std::vector<std::uint8_t> body;
  std::uint32_t length = 0;
  bool have_length = false;
  for (;;) {
    const std::size_t want = have_length ? length : 4;
    if (got == want) {
      if (have_length) break;
      length = header[0] | (header[1] << 8) | (header[2] << 16) | (std::uint32_t{header[3]} << 24);
      if (length > kMaxFrame) {
        *error = "oversized frame from the peer";
        return ReadStatus::kError;
      }
      have_length = true;
      body.resize(length);
      got = 0;
      if (length == 0) break;
      continue;
    }
    if (!WaitReadable(fd, deadline_ms)) {
      if (got == 0 && !have_length) return ReadStatus::kTimeout;
      *error = "timed out in the middle of a frame";
      return ReadStatus::kError;
    }
    iovec iov{have_length ? body.data() + got : header + got, want - got};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t r = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ECONNRESET) return ReadStatus::kClosed;
      *error = std::string("recvmsg: ") + std::strerror(errno);
      return ReadStatus::kError;
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (std::size_t k = 0; k < count; ++k) {
        int received = -1;
        std::memcpy(&received, CMSG_DATA(c) + k * sizeof(int), sizeof(int));
        if (passed_fd && *passed_fd < 0) {
          *passed_fd = received;
        } else {
          close(received);
        }
      }
    }
    if (r == 0) {
      if (passed_fd && *passed_fd >= 0) {
        close(*passed_fd);
        *passed_fd = -1;
      }
      if (got == 0 && !have_length) return ReadStatus::kClosed;
      *error = "the peer closed the channel in the middle of a frame";
      return ReadStatus::kError;
    }
    got += static_cast<std::size_t>(r);
  }
  *payload = std::move(body);
  return ReadStatus::kOk;
}

}  // namespace socksim::tools::host
