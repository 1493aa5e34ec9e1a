// File: stack/personality/illumos/kernel/fifofs.cc
// Pipes and FIFOs (uts/common/fs/fifofs/fifovnops.c, fifosubr.c; uts/common/syscall/pipe.c)
// and the STREAMS ioctls on them (uts/common/os/streamio.c strioctl: I_PUSH, I_POP, I_SENDFD,
// I_RECVFD), fattach/fdetach (namefs), and connld (fifo_connld), which is what gives a pipe
// end a peer credential (reference 1.4: the end connld sends is tagged with the opener's
// credential and pid at open(); the opener's own end is not).
#include <algorithm>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"

namespace socksim::stack::illumos_abi {
namespace {

// The modules that can be pushed (FMNAMESZ 8): connld on pipes, timod and tirdwr on
// transport streams, pipemod and ldterm-like ones are not modelled.
bool KnownModule(std::string_view name) {
  return name == "connld" || name == "timod" || name == "tirdwr" || name == "pipemod";
}

}  // namespace

void Illumos::RegisterPipe(const std::shared_ptr<sim::PipeEnd>& a,
                           const std::shared_ptr<sim::PipeEnd>& b) {
  PipeStreams streams;
  streams.ends[0] = a;
  streams.ends[1] = b;
  pipes_.push_back(std::move(streams));
}

Illumos::PipeStreams* Illumos::FindStreams(const sim::PipeEnd* end, int* side) {
  for (PipeStreams& s : pipes_) {
    for (int i = 0; i < 2; ++i) {
      if (auto e = s.ends[i].lock(); e && e.get() == end) {
        *side = i;
        return &s;
      }
    }
  }
  return nullptr;
}

Illumos::PipeStreams& Illumos::StreamsOf(const std::shared_ptr<sim::PipeEnd>& end, int* side) {
  if (PipeStreams* s = FindStreams(end.get(), side)) return *s;
  // An end not made by pipe() (a FIFO opened by name) is a stream of its own.
  PipeStreams fresh;
  fresh.ends[0] = end;
  pipes_.push_back(std::move(fresh));
  *side = 0;
  return pipes_.back();
}

CallResult Illumos::Pipe(sim::Thread& t, UserAddress fds) {
  // pipe(): two connected ends; the descriptors are stored last (a fault closes them).
  auto [r, w] = sim::MakePipe();
  RegisterPipe(r, w);
  const CallResult first = Install(t, r, false, false);
  if (first.failed()) return first;
  const CallResult second = Install(t, w, false, false);
  sim::Process& p = t.process();
  if (second.failed()) {
    (void)p.fds().Close(static_cast<sim::Handle>(first.value));
    return second;
  }
  if (!p.memory().WriteU32(fds, static_cast<std::uint32_t>(first.value)) ||
      !p.memory().WriteU32(fds + 4, static_cast<std::uint32_t>(second.value))) {
    (void)p.fds().Close(static_cast<sim::Handle>(first.value));
    (void)p.fds().Close(static_cast<sim::Handle>(second.value));
    return Fail(t, kEFAULT);
  }
  return CallResult::Success();
}

CallResult Illumos::Mkfifo(sim::Thread& t, std::string_view path, std::int32_t mode) {
  (void)mode;
  auto& names = Names(t.process().node());
  const std::string key(path);
  if (names.count(key) != 0) return Fail(t, kEEXIST);
  NameEntry entry;
  entry.kind = NameEntry::Kind::kFifo;
  entry.fifo = std::make_shared<sim::PipeChannel>();
  names.emplace(key, std::move(entry));
  return CallResult::Success();
}

CallResult Illumos::Fattach(sim::Thread& t, Fd fd, std::string_view path) {
  const sim::FdEntry* entry = Lookup(t.process(), fd);
  if (entry == nullptr) return Fail(t, kEBADF);
  const auto& object = entry->description->object();
  // fattach(3C) -> mount of namefs: the descriptor must be a STREAMS-based file (a pipe end
  // here); the name must exist (ENOENT) and not be attached already (EBUSY).
  if (object->kind() != sim::FileKind::kPipe) return Fail(t, kEINVAL);
  auto& names = Names(t.process().node());
  const auto it = names.find(std::string(path));
  if (it == names.end()) return Fail(t, kENOENT);
  if (it->second.kind == NameEntry::Kind::kAttached) return Fail(t, kEBUSY);
  if (it->second.kind == NameEntry::Kind::kDirectory) return Fail(t, kEBUSY);
  it->second.kind = NameEntry::Kind::kAttached;
  it->second.attached = std::static_pointer_cast<sim::PipeEnd>(object);
  return CallResult::Success();
}

CallResult Illumos::Fdetach(sim::Thread& t, std::string_view path) {
  auto& names = Names(t.process().node());
  const auto it = names.find(std::string(path));
  if (it == names.end()) return Fail(t, kENOENT);
  if (it->second.kind != NameEntry::Kind::kAttached) return Fail(t, kEINVAL);
  // The name reverts to what it covered (a regular file here).
  it->second.kind = NameEntry::Kind::kFile;
  it->second.attached.reset();
  return CallResult::Success();
}

CallResult Illumos::Ioctl(sim::Thread& t, Fd fd, std::int32_t request, UserAddress arg) {
  sim::Process& p = t.process();
  const sim::FdEntry* entry = Lookup(p, fd);
  if (entry == nullptr) return Fail(t, kEBADF);
  const auto& object = entry->description->object();
  auto* device = dynamic_cast<DeviceNode*>(object.get());
  const bool is_pipe = object->kind() == sim::FileKind::kPipe;
  // Only streams take STREAMS ioctls: files, /dev/null and (non-STREAMS) sockets answer
  // ENOTTY (L for sockets: sockfs passes unknown ioctls to the protocol).
  if (!is_pipe && (device == nullptr || !device->has_stream())) return Fail(t, kENOTTY);
  std::vector<std::string>* modules = nullptr;
  PipeStreams* streams = nullptr;
  int side = 0;
  if (is_pipe) {
    streams = &StreamsOf(std::static_pointer_cast<sim::PipeEnd>(object), &side);
    modules = &streams->modules[side];
  } else {
    modules = &device->modules;
  }
  switch (request) {
    case kIPush: {
      // strioctl(I_PUSH): the name is copied in (FMNAMESZ + 1 bytes at most); an unknown
      // module is EINVAL.
      std::string name;
      for (int i = 0; i < 9; ++i) {
        std::uint8_t c = 0;
        if (p.memory().CopyIn(arg + i, std::span(&c, 1)).fault) return Fail(t, kEFAULT);
        if (c == 0) break;
        name.push_back(static_cast<char>(c));
      }
      if (!KnownModule(name)) return Fail(t, kEINVAL);
      modules->insert(modules->begin(), name);
      return CallResult::Success();
    }
    case kIPop:
      if (modules->empty()) return Fail(t, kEINVAL);
      modules->erase(modules->begin());
      return CallResult::Success();
    case kISendfd: {
      if (!is_pipe) return Fail(t, kEINVAL);
      // strioctl(I_SENDFD): the descriptor in `arg` must be open (EBADF); it is queued at the
      // other end of the pipe with the sender's effective ids (do_sendfp).
      const sim::FdEntry* passed = Lookup(p, static_cast<Fd>(arg));
      if (passed == nullptr) return Fail(t, kEBADF);
      if (streams->ends[1 - side].expired()) return Fail(t, kENXIO);
      const sim::Credentials& who = p.credentials();
      streams->queue[1 - side].push_back(PassedFd{passed->description, who.euid, who.egid});
      return CallResult::Success();
    }
    case kIRecvfd: {
      if (!is_pipe) return Fail(t, kEINVAL);
      auto& queue = streams->queue[side];
      // strioctl(I_RECVFD): with nothing queued, EAGAIN for a non-blocking stream; otherwise
      // it sleeps until a descriptor arrives, which only another call can send.
      if (queue.empty()) {
        if (entry->description->flags().nonblocking) return Fail(t, kEAGAIN);
        return CallResult::Blocked();
      }
      const PassedFd got = queue.front();
      auto installed = p.fds().Install(got.description, false);
      if (!installed) return Fail(t, kEMFILE);
      queue.erase(queue.begin());
      auto& mem = p.memory();
      std::vector<std::uint8_t> record(kStrrecvfdSize, 0);
      const std::uint32_t fields[3] = {static_cast<std::uint32_t>(*installed), got.uid, got.gid};
      for (int i = 0; i < 3; ++i) {
        for (int b = 0; b < 4; ++b)
          record[4 * i + b] = static_cast<std::uint8_t>(fields[i] >> (8 * b));
      }
      if (mem.CopyOut(arg, record).fault) return Fail(t, kEFAULT);
      return CallResult::Success();
    }
    default:
      return Fail(t, kEINVAL);
  }
}

}  // namespace socksim::stack::illumos_abi
