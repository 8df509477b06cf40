#pragma once
// Nothing half-written survives an interrupted run. Outputs are written to a temporary file and
// renamed (atomic_file.h); a SIGINT, SIGTERM or SIGHUP arriving while a temporary file exists
// would leave it behind, so every temporary file is registered here while it is open, and the
// handler that installInterruptCleanup() installs unlinks the registered ones and then lets the
// signal end the process as it would have (same signal, default action: the shell sees 130/143).
// The input is never written, so it is untouched either way.
#include <string>

namespace bg {

// Installs the handler for SIGINT, SIGTERM and SIGHUP (the CLI and the GUI call it first thing).
// Idempotent.
void installInterruptCleanup();

// A temporary file registered for removal on a signal while this object lives. Registration is a
// copy into a fixed table that the signal handler reads (async-signal-safe: no allocation there);
// when the table is full the file is simply not registered.
class TemporaryFileRegistration {
public:
    explicit TemporaryFileRegistration(const std::string& path);
    ~TemporaryFileRegistration();
    TemporaryFileRegistration(const TemporaryFileRegistration&) = delete;
    TemporaryFileRegistration& operator=(const TemporaryFileRegistration&) = delete;

    bool registered() const { return slot_ >= 0; }

private:
    int slot_ = -1;
};

} // namespace bg
