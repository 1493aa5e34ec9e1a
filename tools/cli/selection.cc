// File: tools/cli/selection.cc
// Scenario names, GoogleTest filters and shards (selection.h).
#include "tools/cli/selection.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace socksim::cli {
namespace {

namespace fs = std::filesystem;

// Glob matching with `*` and `?`, as GoogleTest's PatternMatchesString: iterative, with one
// backtracking point, so that a hostile pattern costs at most |pattern| * |name| steps.
bool GlobMatches(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool MatchesAny(std::string_view globs, std::string_view name) {
  std::size_t start = 0;
  while (start <= globs.size()) {
    const std::size_t colon = globs.find(':', start);
    const std::size_t end = colon == std::string_view::npos ? globs.size() : colon;
    const std::string_view glob = globs.substr(start, end - start);
    if (!glob.empty() && GlobMatches(glob, name)) return true;
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return false;
}

// A whole decimal number of at most 9 digits (shard counts are small), else nullopt.
std::optional<std::size_t> SmallNumber(std::string_view text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t v = 0;
  for (const char c : text) v = v * 10 + static_cast<std::size_t>(c - '0');
  return v;
}

}  // namespace

std::string InputName(const std::string& root, const std::string& file) {
  if (root.empty()) return fs::path(file).lexically_normal().generic_string();
  return fs::path(file).lexically_normal().lexically_relative(fs::path(root).lexically_normal()).generic_string();
}

std::string ClassName(const std::string& name) {
  std::string out;
  for (const auto& part : fs::path(name).lexically_normal().relative_path().parent_path()) {
    if (part == "." || part.empty()) continue;
    if (!out.empty()) out += '.';
    out += part == ".." ? std::string("_parent") : part.generic_string();
  }
  return out.empty() ? std::string("socksim") : out;
}

bool MatchesFilter(std::string_view filter, std::string_view name) {
  const std::size_t dash = filter.find('-');
  const std::string_view positive = filter.substr(0, dash);
  const std::string_view negative = dash == std::string_view::npos ? std::string_view() : filter.substr(dash + 1);
  // GoogleTest: an empty positive part (a filter that starts with `-`) means `*`.
  if (!positive.empty() && !MatchesAny(positive, name)) return false;
  return !MatchesAny(negative, name);
}

std::optional<Shard> SelectShard(const std::string& option, std::string* error) {
  error->clear();
  std::optional<Shard> from_option;
  if (!option.empty()) {
    const std::size_t slash = option.find('/');
    const auto index = slash == std::string::npos ? std::nullopt : SmallNumber(std::string_view(option).substr(0, slash));
    const auto count = slash == std::string::npos ? std::nullopt : SmallNumber(std::string_view(option).substr(slash + 1));
    if (!index || !count || *index < 1 || *index > *count) {
      *error = fmt::format("--shard wants I/N with 1 <= I <= N, got '{}'", option);
      return std::nullopt;
    }
    from_option = Shard{*index - 1, *count};
  }
  const char* total_env = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index_env = std::getenv("GTEST_SHARD_INDEX");
  std::optional<Shard> from_env;
  if (total_env != nullptr || index_env != nullptr) {
    if (total_env == nullptr || index_env == nullptr) {
      *error = fmt::format("GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX go together, but only {} is set",
                           total_env != nullptr ? "GTEST_TOTAL_SHARDS" : "GTEST_SHARD_INDEX");
      return std::nullopt;
    }
    const auto count = SmallNumber(total_env);
    const auto index = SmallNumber(index_env);
    if (!count || !index || *count < 1 || *index >= *count) {
      *error = fmt::format("GTEST_SHARD_INDEX={} and GTEST_TOTAL_SHARDS={} want 0 <= index < total",
                           index_env, total_env);
      return std::nullopt;
    }
    from_env = Shard{*index, *count};
  }
  if (from_option && from_env && !(*from_option == *from_env)) {
    *error = fmt::format("--shard {} disagrees with GTEST_SHARD_INDEX={} GTEST_TOTAL_SHARDS={} (shard {}/{})",
                         option, index_env, total_env, from_env->index + 1, from_env->count);
    return std::nullopt;
  }
  return from_option ? from_option : from_env;
}

bool TouchShardStatusFile(std::string* error) {
  const char* path = std::getenv("GTEST_SHARD_STATUS_FILE");
  if (path == nullptr || path[0] == '\0') return true;
  // GoogleTest opens it for writing and closes it at once (WriteToShardStatusFileIfNeeded).
  std::FILE* f = std::fopen(path, "w");
  if (f == nullptr || std::fclose(f) != 0) {
    *error = fmt::format("cannot write GTEST_SHARD_STATUS_FILE {}", path);
    return false;
  }
  return true;
}

}  // namespace socksim::cli
