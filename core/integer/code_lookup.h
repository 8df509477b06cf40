#pragma once
// out[i] = table[codes[i]] for a 256-entry code table (a chain's or an operator's, code_table_operator.h):
// 32 codes per step in AVX2 where the CPU has it (each of the sixteen 16-entry rows of the table
// looked up by the low nibble with one byte shuffle, the row chosen by the high nibble), the plain
// loop elsewhere and for the tail. A lookup either way: the same bytes. `out` may be `codes` itself
// (each step reads its codes before it writes them), not an overlapping shift of it.
#include <cstdint>

namespace bg {

void lookupCodes(const uint8_t* codes, int64_t n, const uint8_t* table, uint8_t* out);

// The plain loop alone (the tests' reference).
void lookupCodesPlain(const uint8_t* codes, int64_t n, const uint8_t* table, uint8_t* out);

} // namespace bg
