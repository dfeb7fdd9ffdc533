// What this CPU can do, from CPUID, for the paths proofs choose at run time:
// ADX + BMI2 for the scalar field multiplication, AVX-512 IFMA for 8-lane
// Poseidon batches, AVX-512 BW for 16-lane SHA-256 node hashing. FIL_PROOFS_NO_SIMD=1 in the environment turns both off
// (to compare, or to rule them out when chasing a problem).
#pragma once

namespace fil::proofs {

struct CpuFeatures {
  bool adx = false;         // mulx, adcx, adox
  bool avx512_ifma = false; // AVX-512F + IFMA, with the OS saving zmm state
  bool avx512_bw = false;   // AVX-512F + BW, likewise
};

const CpuFeatures& cpuFeatures();

}  // namespace fil::proofs
