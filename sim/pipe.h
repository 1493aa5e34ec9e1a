// File: sim/pipe.h
// Pipes: a one-way byte channel with a read end and a write end, each a file object a
// descriptor can name. An end can carry a credential tag: illumos's connld module tags the end
// it passes to a server with the credentials of the process that opened the fattach()ed name,
// and getpeerucred(3C) on that end reports them (../shared/reference/illumos.md 1.3, 1.4:
// fifo_connld). Ends of a plain pipe carry no tag.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "sim/credentials.h"
#include "sim/fd_table.h"

namespace socksim::sim {

/// The bytes in flight between the two ends of one pipe.
struct PipeChannel {
  std::string bytes;
  bool reader_open = true;
  bool writer_open = true;
};

/// What a write to a pipe end did.
enum class PipeWrite : std::uint8_t {
  kWritten,       // all bytes queued
  kNoReader,      // the read end is closed (EPIPE, and SIGPIPE where the OS sends it)
  kWrongEnd,      // this end is the read end
};

/// One end of a pipe.
class PipeEnd final : public FileObject {
 public:
  enum class Side : std::uint8_t { kRead, kWrite };

  PipeEnd(std::shared_ptr<PipeChannel> channel, Side side)
      : channel_(std::move(channel)), side_(side) {}

  FileKind kind() const override { return FileKind::kPipe; }
  void OnLastClose() override {
    (side_ == Side::kRead ? channel_->reader_open : channel_->writer_open) = false;
  }

  Side side() const { return side_; }
  const PipeChannel& channel() const { return *channel_; }

  /// Queues `bytes` when this is the write end and the reader is still there.
  PipeWrite Write(const std::string& bytes) {
    if (side_ != Side::kWrite) return PipeWrite::kWrongEnd;
    if (!channel_->reader_open) return PipeWrite::kNoReader;
    channel_->bytes += bytes;
    return PipeWrite::kWritten;
  }
  /// Takes up to `max` bytes from the read end (empty: nothing queued, or the wrong end).
  std::string Read(std::size_t max) {
    if (side_ != Side::kRead) return {};
    const std::size_t n = max < channel_->bytes.size() ? max : channel_->bytes.size();
    std::string out = channel_->bytes.substr(0, n);
    channel_->bytes.erase(0, n);
    return out;
  }
  /// True when a read would return end of file: nothing queued and no writer left.
  bool AtEnd() const { return channel_->bytes.empty() && !channel_->writer_open; }

  /// The credentials this end was tagged with (connld), or nullopt for a plain pipe end.
  const std::optional<CredentialSnapshot>& credential_tag() const { return tag_; }
  void set_credential_tag(CredentialSnapshot tag) { tag_ = std::move(tag); }

 private:
  std::shared_ptr<PipeChannel> channel_;
  Side side_;
  std::optional<CredentialSnapshot> tag_;
};

/// A new pipe: {read end, write end}.
inline std::pair<std::shared_ptr<PipeEnd>, std::shared_ptr<PipeEnd>> MakePipe() {
  auto channel = std::make_shared<PipeChannel>();
  return {std::make_shared<PipeEnd>(channel, PipeEnd::Side::kRead),
          std::make_shared<PipeEnd>(channel, PipeEnd::Side::kWrite)};
}

}  // namespace socksim::sim
