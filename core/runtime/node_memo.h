#pragma once
// A node's slot, kept by the FloatRuntime across runs, for what its kernel derives from its
// attributes and input shapes (a Conv's geometry and oneDNN plan: conv.cpp). The kernel stores its
// own immutable type and checks that the stored value is for the shapes it has now. Runs of one
// runtime on several threads share the slot: reads and writes are locked, values never change.
#include <memory>
#include <mutex>

namespace bg {

class NodeMemo {
public:
    template <class T> std::shared_ptr<const T> get() const
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        return std::static_pointer_cast<const T>(value_);
    }
    template <class T> void set(std::shared_ptr<const T> value)
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        value_ = std::move(value);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const void> value_;  // one kernel's type per node
};

} // namespace bg
