// File: tools/scenario/registry.cc
// The registry table, built from the generated list of this build's personalities (one
// SOCKSIM_PERSONALITY(name) line per entry of cmake/personalities.cmake). Each personality's
// tools folder defines `const PersonalityEntry& <name>_personality()`.
#include "tools/scenario/registry.h"

#include <array>

namespace socksim::tools {

#define SOCKSIM_PERSONALITY(name) const PersonalityEntry& name##_personality();
#include "socksim_generated/personalities.inc"
#undef SOCKSIM_PERSONALITY

std::span<const PersonalityEntry* const> Personalities() {
  // Built on first use (not at load time), from functions that return constant entries.
  static const std::array kEntries = {
#define SOCKSIM_PERSONALITY(name) &name##_personality(),
#include "socksim_generated/personalities.inc"
#undef SOCKSIM_PERSONALITY
  };
  return kEntries;
}

const PersonalityEntry* FindPersonality(std::string_view name) {
  for (const PersonalityEntry* entry : Personalities()) {
    if (entry->name == name) return entry;
  }
  return nullptr;
}

const PersonalityEntry* PersonalityForHeader(std::string_view keyword) {
  for (const PersonalityEntry* entry : Personalities()) {
    for (std::string_view k : entry->header_keywords) {
      if (k == keyword) return entry;
    }
  }
  return nullptr;
}

std::string PersonalityNames() {
  std::string out;
  for (const PersonalityEntry* entry : Personalities()) {
    if (!out.empty()) out += ", ";
    out += entry->name;
  }
  return out;
}

}  // namespace socksim::tools
