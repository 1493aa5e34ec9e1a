// File: stack/personality/illumos/illumos.cc
// The facade's plumbing shared by every call: per-thread errno, per-process libc state,
// descriptor lookup and installation, waiting, the per-host name space, and the file calls
// (open, close, dup, fcntl) with their vnode-type rules.
#include "stack/personality/illumos/illumos.h"

#include <algorithm>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"

namespace socksim::stack::illumos_abi {

Illumos::Illumos(Stack& stack)
    : stack_(stack), policy_(stack.RegisterPolicy(MakeIllumosPolicy())) {}

void Illumos::SetUpProcess(sim::Process& p) const {
  p.fds().set_limit(kDefaultDescriptorLimit);
  if (dynamic_cast<IllumosProcess*>(p.extension()) == nullptr) {
    p.set_extension(std::make_unique<IllumosProcess>());
  }
  ThreadState(p.main_thread());
}

IllumosThread& Illumos::ThreadState(sim::Thread& t) const {
  auto* state = dynamic_cast<IllumosThread*>(t.extension());
  if (state == nullptr) {
    auto fresh = std::make_unique<IllumosThread>();
    state = fresh.get();
    t.set_extension(std::move(fresh));
  }
  return *state;
}

IllumosProcess& Illumos::ProcessState(sim::Process& p) const {
  auto* state = dynamic_cast<IllumosProcess*>(p.extension());
  if (state == nullptr) {
    auto fresh = std::make_unique<IllumosProcess>();
    state = fresh.get();
    p.set_extension(std::move(fresh));
  }
  return *state;
}

void Illumos::AllowWaiting(sim::Thread& thread, bool allowed) {
  ThreadState(thread).may_wait = allowed;
}

int Illumos::Errno(const sim::Thread& thread) const {
  const auto* state = dynamic_cast<const IllumosThread*>(thread.extension());
  return state == nullptr ? 0 : state->errno_value;
}

int Illumos::TErrno(const sim::Thread& thread) const {
  const auto* state = dynamic_cast<const IllumosThread*>(thread.extension());
  return state == nullptr ? 0 : state->t_errno;
}

CallResult Illumos::Fail(sim::Thread& t, int err) const { return FailWithValue(t, -1, err); }

CallResult Illumos::FailWithValue(sim::Thread& t, std::int64_t value, int err) const {
  ThreadState(t).errno_value = err;
  return CallResult::Failure(value, err);
}

CallResult Illumos::FailError(sim::Thread& t, Error e) const { return Fail(t, ToErrno(e).value); }

std::map<std::string, Illumos::NameEntry>& Illumos::Names(sim::NodeId node) {
  auto [it, fresh] = names_.try_emplace(node);
  if (fresh) {
    it->second["/"] = NameEntry{NameEntry::Kind::kDirectory, nullptr, nullptr};
    it->second["/tmp"] = NameEntry{NameEntry::Kind::kDirectory, nullptr, nullptr};
  }
  return it->second;
}

bool Illumos::AddPath(sim::NodeId node, const std::string& path, bool directory) {
  auto& names = Names(node);
  if (names.count(path) != 0) return false;
  names.emplace(path, NameEntry{directory ? NameEntry::Kind::kDirectory : NameEntry::Kind::kFile,
                                nullptr, nullptr});
  return true;
}

const sim::FdEntry* Illumos::Lookup(const sim::Process& p, Fd fd) const {
  if (fd < 0) return nullptr;
  return p.fds().Lookup(static_cast<sim::Handle>(fd));
}

Illumos::SocketLookup Illumos::LookupSocket(const sim::Process& p, Fd fd) const {
  const sim::FdEntry* entry = Lookup(p, fd);
  if (entry == nullptr) return {nullptr, nullptr, kEBADF};
  const auto& object = entry->description->object();
  if (dynamic_cast<const ProtocolSocketNode*>(object.get()) != nullptr) {
    return {nullptr, entry, kEOPNOTSUPP};
  }
  if (object->kind() != sim::FileKind::kSocket) return {nullptr, entry, kENOTSOCK};
  return {std::static_pointer_cast<stack::Socket>(object), entry, 0};
}

CallResult Illumos::Install(sim::Thread& t, std::shared_ptr<sim::FileObject> object,
                            bool nonblocking, bool cloexec) {
  sim::StatusFlags status;
  status.nonblocking = nonblocking;
  auto ofd = std::make_shared<sim::OpenFileDescription>(std::move(object), status);
  auto fd = t.process().fds().Install(std::move(ofd), cloexec);
  // ufalloc(): no free slot below RLIMIT_NOFILE is EMFILE.
  if (!fd) return Fail(t, kEMFILE);
  return CallResult::Success(static_cast<std::int64_t>(*fd));
}

bool Illumos::Wait(sim::Thread& t, const std::function<bool()>& ready) {
  if (ready()) return true;
  if (!ThreadState(t).may_wait) return false;
  return stack_.RunUntil(ready);
}

// ---------------------------------------------------------------------------------------------
// open, close, dup, fcntl

namespace {

// The devices every host has (uts/intel/os/minor_perm and the /dev links of a default
// install): /dev/null has no stream head; the transport devices are STREAMS drivers.
struct DeviceInfo {
  std::string_view path;
  bool stream;
};
constexpr DeviceInfo kDevices[] = {
    {"/dev/null", false},  {"/dev/zero", false},     {"/dev/tcp", true},
    {"/dev/tcp6", true},   {"/dev/udp", true},       {"/dev/udp6", true},
    {"/dev/ticots", true}, {"/dev/ticotsord", true}, {"/dev/ticlts", true},
};

}  // namespace

CallResult Illumos::Open(sim::Thread& t, std::string_view path, std::int32_t oflag,
                         std::int32_t mode) {
  (void)mode;
  sim::Process& p = t.process();
  const bool nonblocking = (oflag & (kONonblock | kONdelay)) != 0;
  const bool cloexec = (oflag & kOCloexec) != 0;
  const int access = oflag & 3;
  for (const DeviceInfo& d : kDevices) {
    if (d.path == path) {
      return Install(t, std::make_shared<DeviceNode>(std::string(path), d.stream), nonblocking,
                     cloexec);
    }
  }
  auto& names = Names(p.node());
  const std::string key(path);
  auto it = names.find(key);
  if (it == names.end()) {
    if ((oflag & kOCreat) == 0) return Fail(t, kENOENT);
    it = names.emplace(key, NameEntry{NameEntry::Kind::kFile, nullptr, nullptr}).first;
  } else if ((oflag & kOCreat) != 0 && (oflag & kOExcl) != 0) {
    return Fail(t, kEEXIST);
  }
  NameEntry& entry = it->second;
  switch (entry.kind) {
    case NameEntry::Kind::kFile:
      return Install(t, std::make_shared<FileNode>(key, false), nonblocking, cloexec);
    case NameEntry::Kind::kDirectory:
      // vn_openat(): a directory opened for writing is EISDIR.
      if (access != kORdonly) return Fail(t, kEISDIR);
      return Install(t, std::make_shared<FileNode>(key, true), nonblocking, cloexec);
    case NameEntry::Kind::kFifo: {
      // fifo_open(): each open of a named FIFO is an end of the FIFO's one channel.
      const auto side = access == kORdonly ? sim::PipeEnd::Side::kRead : sim::PipeEnd::Side::kWrite;
      return Install(t, std::make_shared<sim::PipeEnd>(entry.fifo, side), nonblocking, cloexec);
    }
    case NameEntry::Kind::kAttached: {
      int side = 0;
      PipeStreams& streams = StreamsOf(entry.attached, &side);
      const auto& modules = streams.modules[side];
      if (std::find(modules.begin(), modules.end(), "connld") == modules.end()) {
        // An open of an fattach()ed name without connld is one more reference to the
        // attached end itself (namefs).
        return Install(t, entry.attached, nonblocking, cloexec);
      }
      // fifovnops.c fifo_connld(): a new pipe; vp1 is tagged with the opener's credential
      // and pid and sent to the other end of the attached pipe (do_sendfp), vp2 is returned
      // to the opener untagged. (illumos waits until the server has received the end; here
      // open returns at once: the scenario's server receives it afterwards.)
      auto [vp1, vp2] = sim::MakePipe();
      vp1->set_credential_tag(p.Snapshot());
      RegisterPipe(vp1, vp2);
      sim::StatusFlags status;
      const sim::Credentials& who = p.credentials();
      streams.queue[1 - side].push_back(
          PassedFd{std::make_shared<sim::OpenFileDescription>(vp1, status), who.euid, who.egid});
      return Install(t, vp2, nonblocking, cloexec);
    }
  }
  return Fail(t, kENOENT);
}

CallResult Illumos::Close(sim::Thread& t, Fd fd) {
  if (fd < 0) return Fail(t, kEBADF);
  auto closed = t.process().fds().Close(static_cast<sim::Handle>(fd));
  if (!closed) return Fail(t, kEBADF);
  stack_.Settle();
  return CallResult::Success();
}

CallResult Illumos::Dup(sim::Thread& t, Fd fd) {
  if (fd < 0) return Fail(t, kEBADF);
  auto r = t.process().fds().Dup(static_cast<sim::Handle>(fd));
  if (!r) return Fail(t, r.error() == sim::FdError::kBadDescriptor ? kEBADF : kEMFILE);
  return CallResult::Success(static_cast<std::int64_t>(*r));
}

CallResult Illumos::Fcntl(sim::Thread& t, Fd fd, std::int32_t cmd, std::int64_t arg) {
  const sim::FdEntry* entry = Lookup(t.process(), fd);
  if (entry == nullptr) return Fail(t, kEBADF);
  auto& flags = entry->description->flags();
  switch (cmd) {
    case kFGetfl:
      // fcntl.c F_GETFL: the access mode (sockets and pipes are opened FREAD|FWRITE) and the
      // status flags.
      return CallResult::Success(kORdwr | (flags.nonblocking ? kONonblock : 0));
    case kFSetfl:
      flags.nonblocking = (arg & (kONonblock | kONdelay)) != 0;
      return CallResult::Success();
    default:
      return Fail(t, kEINVAL);
  }
}

}  // namespace socksim::stack::illumos_abi
