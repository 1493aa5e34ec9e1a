// File: tools/personality/illumos/binding.cc
// The illumos personality's registry entry: its header keywords (`file HOST PATH` and
// `directory HOST PATH`, names that exist on a host before any process starts, so that open()
// finds them and fattach() can cover them; there is one illumos behaviour to reproduce,
// illumos-gate as the reference reads it, so no release line), builds the illumos facade
// over the world's stack, starts a process as the facade says (POSIX descriptor numbering,
// the libc heap, per-thread errno) with descriptors 0, 1 and 2 open on its terminal unless
// `stdio=no` (a program started from a shell), and supplies its call table. The process line
// options illumos reads (groups=, zone=, project=, privs= and the per-set variants, pflags=,
// auid=, asid=, amask=, atid=, label=) are the world builder's, generic: they fill
// sim::Credentials. illumos has no trace importer.
#include <fmt/format.h>

#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stack/personality/illumos/illumos.h"
#include "tools/personality/illumos/call_table.h"
#include "tools/scenario/registry.h"

namespace socksim::tools {
namespace {

namespace ia = stack::illumos_abi;

constexpr std::array<std::string_view, 2> kHeaderKeywords = {"file", "directory"};
// The points stack/personality/illumos checks (libc/heap.cc).
constexpr std::array<std::string_view, 2> kFaultPoints = {stack::illumos_abi::Heap::kFaultEnomem,
                                                          stack::illumos_abi::Heap::kFaultEagain};

class IllumosBinding final : public PersonalityBinding {
 public:
  bool ApplyHeader(const Directive& d, std::string* error) override {
    // `file HOST PATH` / `directory HOST PATH`: checked now, made when the world starts.
    if (d.words.size() != 2 || !d.options.empty() || d.words[1].empty() || d.words[1][0] != '/') {
      *error = d.keyword + " takes a host and an absolute path: " + d.keyword + " a /tmp/svc";
      return false;
    }
    paths_.push_back({d.words[0], d.words[1], d.keyword == "directory", d.location});
    return true;
  }

  void Start(sim::World& world, stack::Stack& stack) override {
    world_ = &world;
    illumos_ = std::make_unique<ia::Illumos>(stack);
    table_ = std::make_unique<IllumosCallTable>(illumos_.get());
  }

  // The names of `file` and `directory` lines, made before the first process starts (the
  // binding starts before the header's hosts exist; every host line precedes the processes
  // that run on it).
  void MakePaths() {
    if (paths_made_) return;
    paths_made_ = true;
    for (const auto& p : paths_) {
      const std::string what = p.directory ? "directory" : "file";
      const auto node = world_->topology().FindNode(p.host);
      if (!node) {
        table_->SetSetupError(
            fmt::format("{}: no host named '{}' before the first process line", what, p.host),
            p.location);
        return;
      }
      if (!illumos_->AddPath(*node, p.path, p.directory)) {
        table_->SetSetupError(fmt::format("{}: {} exists already on {}", what, p.path, p.host),
                              p.location);
        return;
      }
    }
  }

  void SetUpProcess(sim::Process& p, const ProcessSetup& setup) override {
    MakePaths();
    illumos_->SetUpProcess(p);
    if (setup.descriptor_limit) p.fds().set_limit(*setup.descriptor_limit);
    if (!setup.stdio) return;
    // A terminal: a character device (a STREAMS tty, which getpeerucred answers ENOTSUP).
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

 private:
  struct Path {
    std::string host;
    std::string path;
    bool directory = false;
    SourceLocation location;
  };
  std::vector<Path> paths_;
  bool paths_made_ = false;
  sim::World* world_ = nullptr;
  std::unique_ptr<ia::Illumos> illumos_;
  std::unique_ptr<IllumosCallTable> table_;
};

std::unique_ptr<PersonalityBinding> MakeIllumosBinding() {
  return std::make_unique<IllumosBinding>();
}

std::vector<std::string> IllumosCallNames() { return IllumosCallTable::KnownCalls(); }

}  // namespace

const PersonalityEntry& illumos_personality() {
  static const PersonalityEntry kEntry{
      .name = "illumos",
      .header_keywords = kHeaderKeywords,
      .make_binding = &MakeIllumosBinding,
      .call_names = &IllumosCallNames,
      .trace_format = "",
      .import_trace = nullptr,
      .fault_points = kFaultPoints,
  };
  return kEntry;
}

}  // namespace socksim::tools
