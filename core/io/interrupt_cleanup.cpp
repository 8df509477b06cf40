#include "io/interrupt_cleanup.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>

namespace bg {

namespace {

// A slot is free (0), being filled (1) or holds a path the handler may unlink (2).
struct Slot {
    std::atomic<int> state{0};
    char path[PATH_MAX];
};
constexpr int kSlots = 32;
Slot g_slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler reads the slots' state");

extern "C" void removeTemporariesAndReraise(int sig)
{
    for (Slot& s : g_slots)
        if (s.state.load() == 2)
            ::unlink(s.path);
    // The handler was installed with SA_RESETHAND: the signal's default action ends the process.
    ::raise(sig);
}

} // namespace

void installInterruptCleanup()
{
    static std::atomic<bool> installed{false};
    if (installed.exchange(true))
        return;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old = {};
        sigaction(sig, nullptr, &old);
        if (old.sa_handler == SIG_IGN)
            continue;  // nohup and friends: an ignored signal stays ignored
        struct sigaction sa = {};
        sa.sa_handler = removeTemporariesAndReraise;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sig, &sa, nullptr);
    }
}

TemporaryFileRegistration::TemporaryFileRegistration(const std::string& path)
{
    if (path.size() >= PATH_MAX)
        return;
    for (int k = 0; k < kSlots; ++k) {
        int expected = 0;
        if (!g_slots[k].state.compare_exchange_strong(expected, 1))
            continue;
        std::memcpy(g_slots[k].path, path.c_str(), path.size() + 1);
        g_slots[k].state.store(2);
        slot_ = k;
        return;
    }
}

TemporaryFileRegistration::~TemporaryFileRegistration()
{
    if (slot_ >= 0)
        g_slots[slot_].state.store(0);
}

} // namespace bg
