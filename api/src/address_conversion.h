// File: api/src/address_conversion.h
// socksim::Address <-> the stack's neutral SocketAddress: the one place the public value and
// the core's meet (each personality's codec then lays the neutral address out in bytes).
#pragma once

#include "socksim/address.h"
#include "stack/core/address.h"

namespace socksim {

stack::SocketAddress ToNeutral(const Address& address);
Address FromNeutral(const stack::SocketAddress& address);

}  // namespace socksim
