/* SPDX-License-Identifier: GPL-2.0 */
/* sha256.h: SHA-256 (FIPS 180-4), for the result cache's keys and checksums. */
#ifndef MAPCHECK_SHA256_H
#define MAPCHECK_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct evp_md_ctx_st;		/* OpenSSL's EVP_MD_CTX */

struct sha256 {
	struct evp_md_ctx_st *ctx;
};

/* Every sha256_init() is finished by one sha256_hex(), which frees it. */
void sha256_init(struct sha256 *s);
void sha256_add(struct sha256 *s, const void *data, size_t n);
/* Finish into @hex: 64 hex digits and a NUL. */
void sha256_hex(struct sha256 *s, char hex[65]);

#endif
