#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace fil::proofs {

namespace {

CpuFeatures detect() {
  CpuFeatures f;
  const char* off = std::getenv("FIL_PROOFS_NO_SIMD");
  if (off != nullptr && std::strcmp(off, "") != 0 && std::strcmp(off, "0") != 0) return f;
#if defined(__x86_64__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(1, 0, eax, ebx, ecx, edx);
  const bool osxsave = (ecx >> 27) & 1;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool bmi2 = (ebx >> 8) & 1, adx = (ebx >> 19) & 1;
  const bool avx512f = (ebx >> 16) & 1, ifma = (ebx >> 21) & 1, bw = (ebx >> 30) & 1;
  f.adx = bmi2 && adx;
  if (osxsave && avx512f) {
    // The OS must save the AVX-512 state: XCR0 bits 1, 2 (SSE, AVX) and
    // 5, 6, 7 (opmask, upper halves of zmm0-15, zmm16-31).
    unsigned lo = 0, hi = 0;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    const bool zmm_state = (lo & 0xe6) == 0xe6;
    f.avx512_ifma = zmm_state && ifma;
    f.avx512_bw = zmm_state && bw;
  }
#endif
  return f;
}

}  // namespace

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace fil::proofs
