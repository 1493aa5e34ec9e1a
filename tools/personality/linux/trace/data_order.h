// File: tools/personality/linux/trace/data_order.h
// What a reader did not see orders the writer. A log recorded one file per process (strace
// -ff) does not say how the files interleave, but a reader's lines do in part: a readiness
// call that reported a descriptor not readable, or a read that said EAGAIN, ran before the
// next data to reach that descriptor was written (else it would have seen it: fs/select.c
// reports POLLIN while a socket's receive queue or a pipe's buffer holds data). The importer
// tells this model every write, read and such look on each channel, each side in its own
// file's order; the model answers which writing line must wait for which looking line.
//
// A channel is one direction of a stream (a connected stream socket's, a pipe's), counted in
// bytes, or a datagram socket's receive queue, counted in datagrams. Each side's offsets are
// its own running count, so the answer does not depend on the order the importer walked the
// files in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace socksim::tools {

class DataOrder {
 public:
  /// `units` (bytes, or datagrams) entered the channel by the call on `line` of `owner`;
  /// `source`, when known, names the sending socket as a receiver sees it (its port).
  void Written(const std::string& channel, std::size_t units, std::size_t line, std::int32_t owner,
               const std::string& source = {});
  /// `units` left the channel, taken by its reader (in the reader's file order); `source` is
  /// where a datagram came from, when the call said.
  void Read(const std::string& channel, std::size_t units, std::int32_t owner, const std::string& source = {});
  /// `holder` (a process) let go of the stream's writing side on `line` of `owner`: it closed
  /// its last descriptor for it. The stream ends (its reader sees end of file) when the last
  /// holder lets go.
  /// `at_exit`: the process's end released it, with its other descriptors.
  void Dropped(const std::string& channel, std::size_t line, std::int32_t holder, std::int32_t owner,
               bool at_exit = false);
  /// `parent` forked `child` on `line`: what the parent did before that line came before
  /// anything the child did.
  void Forked(std::int32_t parent, std::int32_t child, std::size_t line);
  /// A shutdown for writing on `line`: the stream ends there, whoever still holds it.
  void ShutDown(const std::string& channel, std::size_t line, std::int32_t owner);
  /// The reader's call on `line` found nothing more to read on the channel, nor its end;
  /// `holder` is the reader's process, `holds` whether it held the writing side itself then.
  void Unseen(const std::string& channel, std::size_t line, std::int32_t owner, std::int32_t holder = 0,
              bool holds = false);

  /// (waiting line, line it waits for): a stream's end after every look (end of file is seen,
  /// by any reader): a shutdown, or when the reader did not hold the writing side and one other
  /// process did (not counting one that let go before the reader's process was forked), that
  /// process's last close, unless its end released it: an exit releases its descriptors one by
  /// one (highest first), and a look in between may see some released and not others, which
  /// no order of whole lines says; and when one owner reads the channel, the write that brought the first
  /// unit a look did not see, after that look. At the look the channel had held exactly what
  /// the reader had taken; less what the reader wrote itself, that is what the others had
  /// written. With one other writer that pins its first write past the count; with several,
  /// only a count of 0 does (each one's first write comes after the look), unless every
  /// datagram says where it came from: then the receipts name each one, a look orders the
  /// datagram it did not see yet, and the datagrams were sent in the order they arrived
  /// (a loopback send queues at once). Sorted, without repeats.
  std::vector<std::pair<std::size_t, std::size_t>> Edges() const;

 private:
  struct Write {
    std::size_t end;  // the writer's own running count on the channel after this write
    std::size_t line;
    std::int32_t owner;
    std::string source;
  };
  struct Look {
    std::size_t consumed;      // units the reader had taken before it looked
    std::size_t own_written;   // units the reader itself had written before it looked
    std::size_t line;
    std::int32_t owner;
    std::int32_t holder;
    bool holds;
  };
  struct Drop {
    std::size_t line;
    std::int32_t owner;
    bool at_exit = false;
  };
  struct Channel {
    std::size_t consumed = 0;
    std::map<std::int32_t, std::vector<Write>> writes;  // by writer, in its file's order
    std::map<std::int32_t, std::size_t> written;        // by writer
    std::vector<Look> looks;
    std::set<std::int32_t> readers;
    std::vector<Write> all_writes;     // every write, each writer's in its order
    std::vector<std::string> sources;  // each unit read: where it came from ("" unknown)
    bool sources_lost = false;         // more units read than `sources` can hold
    std::map<std::int32_t, Drop> last_drop;  // by holder
    std::vector<Drop> shutdowns;
  };
  // Datagrams that say where they came from: the receipts name, in arrival order, which
  // sender's datagram each was; returns false when some receipt or send does not say.
  static bool MatchBySource(const Channel& c, std::set<std::pair<std::size_t, std::size_t>>* edges);

  // Whether `holder`'s line `line` came before anything process `reader` did: a line of an
  // ancestor before the fork that leads to the reader.
  bool BeforeProcess(std::int32_t holder, std::size_t line, std::int32_t reader) const;

  std::map<std::string, Channel> channels_;
  std::map<std::int32_t, std::pair<std::int32_t, std::size_t>> forked_by_;  // child -> (parent, line)
};

}  // namespace socksim::tools
