// SPDX-License-Identifier: GPL-2.0
/*
 * sha256.c: SHA-256 through OpenSSL's libcrypto (Debian's libssl-dev), which
 * uses the CPU's SHA extensions where it has them.  The result cache names
 * entries and checks them with it, and a warm scan hashes every header the
 * tree's files include: about a third of a warm scan's time with a portable
 * C implementation.  A collision-resistant hash means a changed input
 * cannot silently produce an old entry's key.
 */
#include <stdio.h>
#include <openssl/evp.h>

#include "mapcheck.h"
#include "sha256.h"

void sha256_init(struct sha256 *s)
{
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || !EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL))
		die("%s", "libcrypto: cannot start a SHA-256 digest");
}

void sha256_add(struct sha256 *s, const void *data, size_t n)
{
	if (n && !EVP_DigestUpdate(s->ctx, data, n))
		die("%s", "libcrypto: SHA-256 update failed");
}

void sha256_hex(struct sha256 *s, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_DigestFinal_ex(s->ctx, md, &n) || n != 32)
		die("%s", "libcrypto: SHA-256 final failed");
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}
