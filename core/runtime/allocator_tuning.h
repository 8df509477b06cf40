#pragma once
// Keeps glibc malloc from returning multi-MB tensor buffers to the kernel after every operator.
//
// Every operator allocates its output tensor and frees its inputs after their last reader. With
// glibc's defaults, buffers of a few MB are mmap'ed or trimmed off the heap top when freed, so the
// next operator's output faults in (and the kernel zeroes) fresh pages again: on the PaddleOCR
// detector that was ~20% of a float run. Raising the mmap and trim thresholds lets freed buffers be
// reused; peak RSS barely changes (measured +4%), idle RSS after a run stays near the peak.
namespace bg {

// Process-wide and idempotent (applied once); a no-op on non-glibc platforms.
void tuneAllocatorForTensors();

// While one exists, tensors up to 32 MiB (glibc's largest threshold) are reused from the heap
// instead of mmap'ed per allocation: the calibration runs two samples at once without fusion, and
// each 13 MB map of the detector then cost its 3200 page faults (and their zeroing) again, a fifth
// of calibration's CPU time in the kernel. The last one to end restores the 12 MiB threshold and
// returns the free heap to the kernel (malloc_trim), so the RSS left behind is the run's, not the
// calibration's. Scopes may nest and overlap across threads.
class LargeTensorReuseScope {
public:
    LargeTensorReuseScope();
    ~LargeTensorReuseScope();
    LargeTensorReuseScope(const LargeTensorReuseScope&) = delete;
    LargeTensorReuseScope& operator=(const LargeTensorReuseScope&) = delete;
};

} // namespace bg
