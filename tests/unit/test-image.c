// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor image the build produced passes the module's header check,
 * and each kind of corruption is refused with its own reason. Runs the same
 * check warden.ko runs (include/warden/image-check.h), on the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/image-check.h>
#include <warden/abi-check.c>

#include "tests.h"

static const char *image_path(void)
{
	const char *p = getenv("WARDEN_IMAGE");

	return p ? p : "build/hypervisor/warden-arm64.bin";
}

static unsigned char *read_image(size_t *ret_size)
{
	FILE *f = fopen(image_path(), "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 16);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*ret_size = n;
	return buf;
}

/* Corrupt a fresh copy with MUTATE and expect REASON from the check. */
#define EXPECT_REFUSED(mutate, size_delta, err, reason)                        \
	do {                                                                   \
		size_t _n;                                                     \
		unsigned char *_b = read_image(&_n);                           \
		struct warden_image_header *h = (void *)_b;                    \
		const char *_why = NULL;                                       \
		ASSERT_NOT_NULL(_b);                                           \
		(void)h;                                                       \
		mutate;                                                        \
		ASSERT_EQ(warden_image_check(_b, _n + (size_delta), &_why), err); \
		ASSERT_NOT_NULL(_why);                                         \
		ASSERT_NOT_NULL(strstr(_why, reason));                         \
		free(_b);                                                      \
	} while (0)

TEST(built_image_passes)
{
	size_t n;
	unsigned char *b = read_image(&n);
	const struct warden_image_header *h = (const void *)b;
	const char *why = "unset";

	ASSERT_NOT_NULL(b);
	ASSERT_EQ(warden_image_check(b, n, &why), 0);
	ASSERT_EQ(h->abi, WARDEN_IMAGE_ABI);
	ASSERT_EQ(h->vectors % WARDEN_VECTORS_ALIGN, 0);
	ASSERT_STREQ(h->version, WARDEN_VERSION);
	free(b);
}

TEST(corruptions_are_refused_with_reason)
{
	EXPECT_REFUSED(h->magic[0] ^= 1, 0, -EINVAL, "bad magic");
	EXPECT_REFUSED((void)0, -(long)_n + 64, -EINVAL, "shorter than the image header");
	EXPECT_REFUSED(h->abi++, 0, -EPROTO, "another ABI revision");
	EXPECT_REFUSED(h->header_size = 64, 0, -EINVAL, "header_size");
	EXPECT_REFUSED(memset(h->version, 'x', sizeof(h->version)), 0, -EINVAL, "not terminated");
	EXPECT_REFUSED((void)0, 1, -EINVAL, "image_size does not match");
	EXPECT_REFUSED(h->core_size += 8, 0, -EINVAL, "core_size");
	EXPECT_REFUSED(h->entry = h->image_size, 0, -EINVAL, "entry outside");
	EXPECT_REFUSED(h->entry += 2, 0, -EINVAL, "misaligned");
	EXPECT_REFUSED(h->vectors += 0x100, 0, -EINVAL, "vectors");
	EXPECT_REFUSED(h->max_cpus = 0, 0, -EINVAL, "max_cpus");
	EXPECT_REFUSED(h->phys_base = 0x70000000, 0, -EINVAL, "reserved fields not zero");
	EXPECT_REFUSED(h->reserved[3] = 1, 0, -EINVAL, "reserved fields not zero");
}

DEFINE_TEST_MAIN
