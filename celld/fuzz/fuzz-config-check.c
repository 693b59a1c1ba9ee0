/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for include/warden/config-check.h, the blob checker that
 * warden.ko and the hypervisor run on whatever root hands them. The first
 * input byte picks the kind (system or cell), the rest is the blob, copied
 * to an 8-byte aligned buffer of exactly its size so that ASan sees any read
 * past the end. A blob either passes, and then every part its layout names
 * lies inside it, or is refused with a reason and an offset inside it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#define CHECK(expr)                                                                     \
        do {                                                                            \
                if (!(expr)) {                                                          \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        abort();                                                        \
                }                                                                       \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every byte the layout names, read: ASan complains if the checker let it out of bounds. */
static void touch(const uint8_t *blob, uint32_t from, uint32_t to) {
        volatile uint8_t sink = 0;

        for (uint32_t i = from; i < to; i++)
                sink ^= blob[i];
        (void) sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct warden_config_error err = {};
        struct warden_config_layout l = {};
        uint64_t *buf;
        int r;

        if (size < 1 || size > WARDEN_CONFIG_MAX_SIZE + 1)
                return 0;
        buf = malloc(size - 1 ?: 1);
        if (!buf)
                return 0;
        memcpy(buf, data + 1, size - 1);
        if (data[0] & 1)
                r = warden_config_check_cell(buf, (uint32_t) (size - 1), &l, &err);
        else
                r = warden_config_check_system(buf, (uint32_t) (size - 1), &l, &err);
        if (r == 0) {
                CHECK(l.end <= size - 1);
                CHECK(l.cell < l.end && l.regions <= l.end && l.irqs <= l.end);
                touch((const uint8_t *) buf, 0, l.end);
        } else {
                CHECK(r == -EINVAL);
                CHECK(err.what && err.what[0]);
                CHECK(err.offset <= size - 1 || size - 1 < sizeof(struct warden_config_header));
        }
        free(buf);
        return 0;
}
