// File: tools/personality/windows/binding.cc
// The Windows personality's registry entry: its header keywords (`windows 10`, the release
// whose behaviour to reproduce, and `lsp NAME ...`, a layered provider installed on catalog
// chains before any process starts), how a scenario world builds the Winsock facade over the
// stack, how a process starts (kernel handle numbering and ws2 state, no standard handles: a
// Windows process starts with an empty handle table, so the `stdio=` option means nothing to
// it), and its call table. Windows has no trace importer.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "stack/personality/windows/provider/layered_provider.h"
#include "stack/personality/windows/windows_release.h"
#include "stack/personality/windows/winsock.h"
#include "tools/personality/windows/call_table.h"
#include "tools/scenario/registry.h"

namespace socksim::tools {
namespace {

namespace wa = stack::windows_abi;

constexpr std::array<std::string_view, 2> kHeaderKeywords = {"windows", "lsp"};
// The points stack/personality/windows checks (provider/base_provider.cc).
constexpr std::array<std::string_view, 1> kFaultPoints = {"windows.netdown"};

// An `lsp` line's words after the keyword, as the stack's parser reads them: the positional
// words, then each option as KEY=VALUE.
std::vector<std::string> LspWords(const Directive& d) {
  std::vector<std::string> words = d.words;
  for (const auto& opt : d.options) words.push_back(opt.key + "=" + opt.value);
  return words;
}

class WindowsBinding final : public PersonalityBinding {
 public:
  bool ApplyHeader(const Directive& d, std::string* error) override {
    if (d.keyword == "windows") {
      // `windows 10`: the release whose behaviour to reproduce (windows_release.h).
      const auto r = d.words.size() == 1 && d.options.empty()
                         ? wa::WindowsRelease::Parse(d.words[0])
                         : std::nullopt;
      if (!r) {
        *error = "windows takes a release: xp, vista, 7, 8, 8.1, 10 or 11";
        return false;
      }
      release_ = *r;
      return true;
    }
    // `lsp NAME [behaviour=...] [call=...] [return=...] [error=...] [chains=...]`: checked
    // now, installed in order when the world starts (a later line sits above).
    auto spec = wa::ParseLayeredProviderSpec(LspWords(d));
    if (!spec) {
      *error = spec.error();  // "lsp behaviour must be ...": it names the directive
      return false;
    }
    layered_.push_back({std::move(*spec), d.location});
    return true;
  }

  void Start(sim::World& world, stack::Stack& stack) override {
    (void)world;
    winsock_ = std::make_unique<wa::Winsock>(stack, release_);
    table_ = std::make_unique<WindowsCallTable>(winsock_.get());
    for (const auto& [spec, where] : layered_) {
      const auto installed = winsock_->InstallLayeredProvider(spec);
      if (!installed) {
        table_->SetSetupError("lsp: " + installed.error(), where);
        break;
      }
    }
  }

  void SetUpProcess(sim::Process& p, const ProcessSetup& setup) override {
    winsock_->SetUpProcess(p);
    if (setup.descriptor_limit) p.fds().set_limit(*setup.descriptor_limit);
  }

  CallTable& table() override { return *table_; }

 private:
  struct Layered {
    wa::LayeredProviderSpec spec;
    SourceLocation location;
  };
  wa::WindowsRelease release_ = wa::kNewestRelease;
  std::vector<Layered> layered_;
  std::unique_ptr<wa::Winsock> winsock_;
  std::unique_ptr<WindowsCallTable> table_;
};

std::unique_ptr<PersonalityBinding> MakeWindowsBinding() {
  return std::make_unique<WindowsBinding>();
}

std::vector<std::string> WindowsCallNames() { return WindowsCallTable::KnownCalls(); }

}  // namespace

const PersonalityEntry& windows_personality() {
  static const PersonalityEntry kEntry{
      .name = "windows",
      .header_keywords = kHeaderKeywords,
      .make_binding = &MakeWindowsBinding,
      .call_names = &WindowsCallNames,
      .trace_format = "",
      .import_trace = nullptr,
      .fault_points = kFaultPoints,
  };
  return kEntry;
}

}  // namespace socksim::tools
