/* SPDX-License-Identifier: GPL-2.0-only */
/* Small macros every user-space part of Warden uses: cleanup, ownership, tables. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit status for command line usage errors. */
#define EXIT_USAGE 2

#define _cleanup_(f) __attribute__((__cleanup__(f)))
#define _unused_ __attribute__((__unused__))
#define _printf_(a, b) __attribute__((__format__(printf, a, b)))
#define _noreturn_ __attribute__((__noreturn__))
#define _pure_ __attribute__((__pure__))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

/* Rejects pointers: only real arrays have a number of elements. */
#define ELEMENTSOF(x)                                                                           \
        (__builtin_choose_expr(!__builtin_types_compatible_p(typeof(x), typeof(&*(x))),         \
                               sizeof(x) / sizeof((x)[0]),                                      \
                               (void) 0))

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* Whether x equals one of the listed values. */
#define IN_SET(x, ...)                                                          \
        ({                                                                      \
                const typeof(x) _x_ = (x), _set_[] = { __VA_ARGS__ };           \
                bool _found_ = false;                                           \
                for (size_t _i_ = 0; _i_ < ELEMENTSOF(_set_); _i_++)            \
                        if (_set_[_i_] == _x_) {                                \
                                _found_ = true;                                 \
                                break;                                          \
                        }                                                       \
                _found_;                                                        \
        })

#define streq(a, b) (strcmp((a), (b)) == 0)
#define isempty(s) (!(s) || (s)[0] == '\0')
#define strempty(s) ((s) ?: "")

/* Hands the pointer over to the caller and leaves NULL behind, so cleanup does nothing. */
#define TAKE_PTR(p)                                     \
        ({                                              \
                typeof(p) *_pp_ = &(p);                 \
                typeof(p) _p_ = *_pp_;                  \
                *_pp_ = NULL;                           \
                _p_;                                    \
        })

/* Defines funcp(type *p) that calls func(*p) if *p is set, for use with _cleanup_. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                 \
        static inline void func##p(type *p) {                   \
                if (*p)                                         \
                        func(*p);                               \
        }

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/*
 * Errors that did not come from a failed call (no errno to report) are marked, so that a
 * logging caller can tell them apart; ERRNO_VALUE() strips the mark and the sign.
 */
#define _SYNTHETIC_ERRNO_BIT (1 << 30)
#define SYNTHETIC_ERRNO(e) (_SYNTHETIC_ERRNO_BIT | (e))
#define ERRNO_VALUE(e) (abs(e) & ~_SYNTHETIC_ERRNO_BIT)
#define ERRNO_IS_SYNTHETIC(e) (!!(abs(e) & _SYNTHETIC_ERRNO_BIT))

/*
 * String tables for enums that start at 0: name##_table[] must be defined before.
 * to_string() returns NULL for values without a name, from_string() returns -EINVAL
 * for unknown names.
 */
#define DEFINE_STRING_TABLE_LOOKUP(name, type)                                  \
        const char *name##_to_string(type i) {                                  \
                if (i < 0 || (size_t) i >= ELEMENTSOF(name##_table))            \
                        return NULL;                                            \
                return name##_table[i];                                         \
        }                                                                       \
        type name##_from_string(const char *s) {                                \
                if (!s)                                                         \
                        return (type) -EINVAL;                                  \
                for (size_t i = 0; i < ELEMENTSOF(name##_table); i++)           \
                        if (name##_table[i] && streq(name##_table[i], s))       \
                                return (type) i;                                \
                return (type) -EINVAL;                                          \
        }
