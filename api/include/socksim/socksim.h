// File: api/include/socksim/socksim.h
// The whole public API in one include: the world (world.h), processes of each system
// (process.h, linux.h, windows.h, illumos.h), addresses and results (address.h, result.h)
// and scenarios run from C++ (scenario.h). The GoogleTest helpers are the separate target
// socksim::testing (socksim/testing.h).
#pragma once

#include "socksim/address.h"
#include "socksim/illumos.h"
#include "socksim/linux.h"
#include "socksim/process.h"
#include "socksim/result.h"
#include "socksim/scenario.h"
#include "socksim/windows.h"
#include "socksim/world.h"
