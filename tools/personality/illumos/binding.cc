// File: tools/personality/illumos/binding.cc
// The illumos personality's registry entry: it owns no header keyword (there is one illumos
// behaviour to reproduce, illumos-gate as the reference reads it), builds the illumos facade
// over the world's stack, starts a process as the facade says (POSIX descriptor numbering,
// the libc heap, per-thread errno) with descriptors 0, 1 and 2 open on its terminal unless
// `stdio=no` (a program started from a shell), and supplies its call table. The process line
// options illumos reads (groups=, zone=, project=, privs= and the per-set variants, pflags=,
// auid=, asid=, amask=, atid=, label=) are the world builder's, generic: they fill
// sim::Credentials. illumos has no trace importer.
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

class IllumosBinding final : public PersonalityBinding {
 public:
  bool ApplyHeader(const Directive& d, std::string* error) override {
    // No keyword is registered, so the world builder never calls this.
    *error = "illumos has no header line '" + d.keyword + "'";
    return false;
  }

  void Start(sim::World& world, stack::Stack& stack) override {
    (void)world;
    illumos_ = std::make_unique<ia::Illumos>(stack);
    table_ = std::make_unique<IllumosCallTable>(illumos_.get());
  }

  void SetUpProcess(sim::Process& p, const ProcessSetup& setup) override {
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
      .header_keywords = {},
      .make_binding = &MakeIllumosBinding,
      .call_names = &IllumosCallNames,
      .trace_format = "",
      .import_trace = nullptr,
  };
  return kEntry;
}

}  // namespace socksim::tools
