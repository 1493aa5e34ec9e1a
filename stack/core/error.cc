// File: stack/core/error.cc
// Names and descriptions of the neutral errors, generated from error.def.
#include "stack/core/error.h"

namespace socksim::stack {

std::string_view ToString(Error error) {
  switch (error) {
#define SOCKSIM_ERROR(name, text) \
  case Error::k##name:            \
    return #name;
#include "stack/core/error.def"
#undef SOCKSIM_ERROR
  }
  return "?";
}

std::string_view Describe(Error error) {
  switch (error) {
#define SOCKSIM_ERROR(name, text) \
  case Error::k##name:            \
    return text;
#include "stack/core/error.def"
#undef SOCKSIM_ERROR
  }
  return "?";
}

}  // namespace socksim::stack
