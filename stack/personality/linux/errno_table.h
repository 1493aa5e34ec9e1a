// File: stack/personality/linux/errno_table.h
// Linux x86-64 errno numbers, names and glibc strerror() texts, and the neutral Error -> errno map.
#pragma once

#include <optional>
#include <string_view>

#include "stack/core/error.h"

namespace socksim::stack::linux_abi {

/// One Linux errno: its number (asm-generic/errno-base.h, asm-generic/errno.h), its canonical
/// symbol, and the text glibc's strerror() gives for it.
struct ErrnoInfo {
  int value;
  std::string_view symbol;
  std::string_view message;

  friend bool operator==(const ErrnoInfo&, const ErrnoInfo&) = default;
};

// The errno values the personality uses by name (Linux x86-64; identical on every architecture
// except alpha, mips, parisc and sparc, which socksim does not model).
inline constexpr int kEPERM = 1;
inline constexpr int kENOENT = 2;
inline constexpr int kESRCH = 3;
inline constexpr int kEINTR = 4;
inline constexpr int kEBADF = 9;
inline constexpr int kEAGAIN = 11;
inline constexpr int kEWOULDBLOCK = kEAGAIN;  // same number on Linux (errno(3))
inline constexpr int kENOMEM = 12;
inline constexpr int kEACCES = 13;
inline constexpr int kEFAULT = 14;
inline constexpr int kEEXIST = 17;
inline constexpr int kENODEV = 19;
inline constexpr int kENOTDIR = 20;
inline constexpr int kEINVAL = 22;
inline constexpr int kEMFILE = 24;
inline constexpr int kENOTTY = 25;
inline constexpr int kENOSPC = 28;
inline constexpr int kEPIPE = 32;
inline constexpr int kELOOP = 40;
inline constexpr int kENOTSOCK = 88;
inline constexpr int kEDESTADDRREQ = 89;
inline constexpr int kEMSGSIZE = 90;
inline constexpr int kEPROTOTYPE = 91;
inline constexpr int kENOPROTOOPT = 92;
inline constexpr int kEPROTONOSUPPORT = 93;
inline constexpr int kESOCKTNOSUPPORT = 94;
inline constexpr int kEOPNOTSUPP = 95;
inline constexpr int kENOTSUP = kEOPNOTSUPP;  // same number on Linux (errno(3))
inline constexpr int kEAFNOSUPPORT = 97;
inline constexpr int kEADDRINUSE = 98;
inline constexpr int kEADDRNOTAVAIL = 99;
inline constexpr int kENETDOWN = 100;
inline constexpr int kENETUNREACH = 101;
inline constexpr int kENETRESET = 102;
inline constexpr int kECONNABORTED = 103;
inline constexpr int kECONNRESET = 104;
inline constexpr int kENOBUFS = 105;
inline constexpr int kEISCONN = 106;
inline constexpr int kENOTCONN = 107;
inline constexpr int kESHUTDOWN = 108;
inline constexpr int kETIMEDOUT = 110;
inline constexpr int kECONNREFUSED = 111;
inline constexpr int kEHOSTDOWN = 112;
inline constexpr int kEHOSTUNREACH = 113;
inline constexpr int kEALREADY = 114;
inline constexpr int kEINPROGRESS = 115;

/// The errno Linux reports for a neutral error.
ErrnoInfo ToErrno(Error error);

/// Looks up "ENOTCONN" (case-sensitive). The aliases EWOULDBLOCK and ENOTSUP resolve to the
/// canonical entries EAGAIN and EOPNOTSUPP (their symbol field is the canonical name).
std::optional<ErrnoInfo> ErrnoBySymbol(std::string_view symbol);

/// Looks up an errno number; nullopt for numbers not in the table.
std::optional<ErrnoInfo> ErrnoByValue(int value);

}  // namespace socksim::stack::linux_abi
