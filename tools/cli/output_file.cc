// File: tools/cli/output_file.cc
// Checked output files and --record placement (output_file.h).
#include "tools/cli/output_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace socksim::cli {

bool WriteOutputFile(const std::filesystem::path& path, const std::string& content, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    *error = std::strerror(errno);
    return false;
  }
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  out.close();
  if (out.fail()) {
    *error = errno != 0 ? std::strerror(errno) : "write failed";
    return false;
  }
  return true;
}

std::filesystem::path RecordPathUnder(const std::filesystem::path& directory, const std::string& file) {
  std::filesystem::path relative;
  for (const auto& part : std::filesystem::path(file).lexically_normal().relative_path()) {
    if (part == "..") {
      relative /= "_parent";
    } else if (part != "." && !part.empty()) {
      relative /= part;
    }
  }
  return directory / relative;
}

}  // namespace socksim::cli
