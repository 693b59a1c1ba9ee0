/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer target for the JSON front end (the checks are in front-end.h). */
#define FUZZ_FILE "fuzz.json"
#define FUZZ_FORMAT DESC_FORMAT_JSON

#include "front-end.h"
