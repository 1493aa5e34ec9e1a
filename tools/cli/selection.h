// File: tools/cli/selection.h
// Which scenarios a `socksim run` runs, by GoogleTest's conventions (docs/ci.md): names
// relative to the run's root, `--filter` patterns, and shards from `--shard I/N` or from
// GoogleTest's environment (GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX, GTEST_SHARD_STATUS_FILE).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::cli {

/// A scenario file found for a run.
struct Input {
  std::string file;  // the path as the run opens and prints it
  /// Its name relative to the run's root: under a directory given on the command line, the
  /// path below that directory; for a file given itself, its path as given, normalized. The
  /// filter, --list, JUnit and --record name it so.
  std::string name;
};

/// The name of `file` found under `root` (a directory argument), or of a file argument
/// (`root` empty).
std::string InputName(const std::string& root, const std::string& file);

/// JUnit's classname of a name: its folder with dots for slashes, each `..` written `_parent`
/// (as --record writes it); "socksim" for a name with no folder.
std::string ClassName(const std::string& name);

/// GoogleTest's filter (`--gtest_filter`): `:`-separated globs (`*` any run of characters,
/// `/` included; `?` any one character), optionally followed by `-` and the globs to exclude.
/// A name passes when it matches a positive glob (every name does when there are none) and no
/// negative one.
bool MatchesFilter(std::string_view filter, std::string_view name);

/// One shard of a run: the scenarios whose position (in sorted, filtered order) is `index`
/// modulo `count`. `index` is 0-based, as GoogleTest's GTEST_SHARD_INDEX.
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
  bool operator==(const Shard&) const = default;
};

/// The shard a run takes from `--shard I/N` (`option`, 1-based, may be empty) and from
/// GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX: nullopt with `error` set when either is malformed,
/// only one of the two variables is set, or both are given and disagree; an empty optional with
/// no error when there is no sharding.
std::optional<Shard> SelectShard(const std::string& option, std::string* error);

/// Touches GTEST_SHARD_STATUS_FILE when it is set, as GoogleTest does to tell a test runner that
/// it understands sharding; false with `error` set when the file cannot be written.
bool TouchShardStatusFile(std::string* error);

}  // namespace socksim::cli
