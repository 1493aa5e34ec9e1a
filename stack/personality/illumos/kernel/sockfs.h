// File: stack/personality/illumos/kernel/sockfs.h
// What sockfs decides about a socket that more than one kernel file needs.
#pragma once

#include "stack/core/socket.h"

namespace socksim::stack::illumos_abi {

/// SS_ISCONNECTED as sockfs keeps it (sockcommon_sops.c so_connected / so_disconnected;
/// sockstr.c strsock_proto for AF_UNIX): set when the connection is made, cleared by a reset,
/// time-out or abortive disconnect, kept after an orderly release.
bool IsConnected(const Socket& s);

/// A TCP connection reset after both sides had sent their FIN (CLOSING, LAST-ACK): illumos
/// ends it with tcp_clean_death(tcp, 0), which records no error and tells sockfs nothing.
bool ResetAfterBothFins(const Socket& s);

}  // namespace socksim::stack::illumos_abi
