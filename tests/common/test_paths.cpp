// Keeps biasguard_testcommon a real library even before other helpers are added.
#include "common/test_paths.h"
