/* CRC32C (Castagnoli), as --inspect checksum computes it in strategies and
 * the harness computes it over the expected stream. */
#ifndef ZC_CRC32C_H
#define ZC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC32C: start with crc 0; the result of one call feeds the next. */
uint32_t zc_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
