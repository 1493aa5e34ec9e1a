// File: tools/personality/linux/binding.cc
// The Linux personality's registry entry: its header keyword (`kernel 6.18`), how a scenario
// world builds it, how a process starts (RLIMIT_NOFILE, descriptors 0-2 open on a terminal as
// for a program started from a shell), its call table and its trace importer (strace).
#include <algorithm>
#include <array>
#include <memory>

#include "stack/personality/linux/linux_personality.h"
#include "tools/personality/linux/backend.h"
#include "tools/personality/linux/symbols.h"
#include "tools/personality/linux/syscall_table.h"
#include "tools/personality/linux/trace/strace_import.h"
#include "tools/scenario/registry.h"
#include "tools/text/numbers.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;

constexpr std::array<std::string_view, 1> kHeaderKeywords = {"kernel"};
// The points stack/personality/linux checks (peer_calls.cc DoGetName).
constexpr std::array<std::string_view, 2> kFaultPoints = {"linux.getpeername.nobufs",
                                                          "linux.getsockname.nobufs"};

class LinuxBinding final : public PersonalityBinding {
 public:
  bool ApplyHeader(const Directive& d, std::string* error) override {
    // `kernel 6.18`: the Linux release whose behaviour to reproduce (kernel_version.h).
    const auto v = d.words.size() == 1 ? la::KernelVersion::Parse(d.words[0]) : std::nullopt;
    if (!v) {
      *error = "kernel takes a version such as 6.18";
      return false;
    }
    kernel_ = *v;
    return true;
  }

  void Start(sim::World& world, stack::Stack& stack) override {
    (void)world;
    linux_ = std::make_unique<la::LinuxPersonality>(stack, kernel_);
    table_ = std::make_unique<LinuxCallTable>(std::make_unique<SimulatedLinuxBackend>(*linux_));
  }

  void SetUpProcess(sim::Process& p, const ProcessSetup& setup) override {
    linux_->SetUpProcess(p);
    if (setup.descriptor_limit) p.fds().set_limit(*setup.descriptor_limit);
    if (!setup.stdio) return;
    for (sim::Handle fd = 0; fd < 3 && fd < p.fds().limit(); ++fd) {
      (void)p.fds().InstallAt(
          fd,
          std::make_shared<sim::OpenFileDescription>(
              std::make_shared<sim::PlainFile>(sim::FileKind::kCharDevice, "/dev/pts/0"),
              sim::StatusFlags{}),
          false);
    }
  }

  CallTable& table() override { return *table_; }

  std::optional<sim::StatusFlags> FileStatus(std::string_view open_flags) const override {
    // Names joined by '|' (strace's spelling) or one number.
    std::uint64_t flags = 0;
    std::size_t from = 0;
    while (from <= open_flags.size()) {
      const std::size_t bar = std::min(open_flags.find('|', from), open_flags.size());
      const std::string_view word = open_flags.substr(from, bar - from);
      if (const auto named = linux_symbols::Lookup(word)) {
        flags |= static_cast<std::uint64_t>(*named);
      } else if (const auto number = numbers::ParseUint64(word)) {
        flags |= *number;
      } else {
        return std::nullopt;
      }
      from = bar + 1;
    }
    return la::LinuxPersonality::FileStatus(static_cast<std::uint32_t>(flags));
  }

 private:
  la::KernelVersion kernel_ = la::kNewestKernel;
  std::unique_ptr<la::LinuxPersonality> linux_;
  std::unique_ptr<LinuxCallTable> table_;
};

std::unique_ptr<PersonalityBinding> MakeLinuxBinding() { return std::make_unique<LinuxBinding>(); }

std::vector<std::string> LinuxCallNames() { return LinuxCallTable::KnownCalls(); }

}  // namespace

const PersonalityEntry& linux_personality() {
  static const PersonalityEntry kEntry{
      .name = "linux",
      .header_keywords = kHeaderKeywords,
      .make_binding = &MakeLinuxBinding,
      .call_names = &LinuxCallNames,
      .trace_format = "strace",
      .import_trace = &ImportStrace,
      .fault_points = kFaultPoints,
  };
  return kEntry;
}

}  // namespace socksim::tools
