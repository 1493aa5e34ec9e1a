// File: tools/cli/output_file.h
// What the CLI writes (a recorded trace, a JUnit report): written whole and checked to the
// end, so that a full disk (/dev/full) or a closed pipe is an error, not a silent loss.
#pragma once

#include <filesystem>
#include <string>

namespace socksim::cli {

/// Writes `content` to `path`; false with `error` set when any part of it failed (opening,
/// writing, flushing, closing).
bool WriteOutputFile(const std::filesystem::path& path, const std::string& content, std::string* error);

/// Where the recording of input `file` goes under a --record directory: its path made
/// relative, with every `..` component written as `_parent` so that no input path can
/// place a file outside the directory.
std::filesystem::path RecordPathUnder(const std::filesystem::path& directory, const std::string& file);

}  // namespace socksim::cli
